/** Billing: balances checked against the ledger. Placeholder: the page's helper fills it. */
export function ReconcilePage() {
  return <p>Reconciliation will be here.</p>;
}
