/** Billing: a CSV of adjustments applied in one batch, and its rows' outcomes. Placeholder: the page's helper fills it. */
export function BulkAdjustmentsPage() {
  return <p>Bulk adjustments will be here.</p>;
}
