/** Admin: upstream channels, their tests and health. Placeholder: the page's helper fills it. */
export function ChannelsPage() {
  return <p>Channels will be here.</p>;
}
