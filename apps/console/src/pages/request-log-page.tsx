/** Admin: settled requests, filtered, looked up by tid. Not built yet: the page says so. */
export function RequestLogPage() {
  return <p>The request log: this page is not built yet; use the CLI (tollgate --help) or the admin API meanwhile.</p>;
}
