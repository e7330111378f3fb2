/** Billing: find a customer, see the balance, top up and adjust. Placeholder: the page's helper fills it. */
export function CustomersPage() {
  return <p>Customers will be here.</p>;
}
