/** Admin: model prices and group multipliers. Not built yet: the page says so. */
export function PricesPage() {
  return (
    <p>Prices and groups: this page is not built yet; use the CLI (tollgate --help) or the admin API meanwhile.</p>
  );
}
