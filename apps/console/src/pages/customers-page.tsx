/** Billing: find a customer, see the balance, top up and adjust. Not built yet: the page says so. */
export function CustomersPage() {
  return <p>Customers: this page is not built yet; use the CLI (tollgate --help) or the admin API meanwhile.</p>;
}
