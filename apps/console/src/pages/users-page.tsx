/** Admin: users, their roles, groups and status. Placeholder: the page's helper fills it. */
export function UsersPage() {
  return <p>Users will be here.</p>;
}
