/** Billing: a customer's ledger entries, paged, exported as CSV. Placeholder: the page's helper fills it. */
export function LedgerPage() {
  return <p>The ledger will be here.</p>;
}
