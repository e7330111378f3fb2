/** Admin: users, their roles, groups and status. Not built yet: the page says so. */
export function UsersPage() {
  return <p>Users: this page is not built yet; use the CLI (tollgate --help) or the admin API meanwhile.</p>;
}
