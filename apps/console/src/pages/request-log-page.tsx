/** Admin: settled requests, filtered, looked up by tid. Placeholder: the page's helper fills it. */
export function RequestLogPage() {
  return <p>The request log will be here.</p>;
}
