/** Admin: a user's API keys, made, edited and revoked. Not built yet: the page says so. */
export function KeysPage() {
  return <p>Keys: this page is not built yet; use the CLI (tollgate --help) or the admin API meanwhile.</p>;
}
