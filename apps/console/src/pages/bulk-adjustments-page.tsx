/** Billing: a CSV of adjustments applied in one batch, and its rows' outcomes. Not built yet: the page says so. */
export function BulkAdjustmentsPage() {
  return <p>Bulk adjustments: this page is not built yet; use the CLI (tollgate --help) or the admin API meanwhile.</p>;
}
