/** Billing: a customer's ledger entries, paged, exported as CSV. Not built yet: the page says so. */
export function LedgerPage() {
  return <p>The ledger: this page is not built yet; use the CLI (tollgate --help) or the admin API meanwhile.</p>;
}
