/** Admin: upstream channels, their tests and health. Not built yet: the page says so. */
export function ChannelsPage() {
  return <p>Channels: this page is not built yet; use the CLI (tollgate --help) or the admin API meanwhile.</p>;
}
