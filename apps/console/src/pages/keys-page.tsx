/** Admin: a user's API keys, made, edited and revoked. Placeholder: the page's helper fills it. */
export function KeysPage() {
  return <p>Keys will be here.</p>;
}
