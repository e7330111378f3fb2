/** Admin: model prices and group multipliers. Placeholder: the page's helper fills it. */
export function PricesPage() {
  return <p>Prices and groups will be here.</p>;
}
