import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import type { ChannelList as ChannelListBody } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';

export const CHANNELS_KEY = ['channels'] as const;

/** Every channel (listChannels is not paged: a gateway has a handful), each linking to its own page. */
export function ChannelList() {
  const channels = useQuery({
    queryKey: CHANNELS_KEY,
    queryFn: ({ signal }) => api.get<ChannelListBody>('/channels', undefined, signal),
  });
  if (channels.isPending) return <Loading label="Loading channels…" />;
  if (channels.error) return <ErrorMessage error={channels.error} title="The channels could not be loaded" />;
  if (channels.data.data.length === 0) return <p>No channels yet: create the first one below.</p>;
  return (
    <table>
      <caption>Channels</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Models</th>
          <th scope="col">Groups</th>
          <th scope="col">Status</th>
          <th scope="col">Priority</th>
          <th scope="col">Weight</th>
        </tr>
      </thead>
      <tbody>
        {channels.data.data.map((channel) => (
          <tr key={channel.id}>
            <td>
              <Link href={`/channels/${channel.id}`}>{channel.name}</Link>
            </td>
            <td>{channel.type}</td>
            <td>{channel.models.join(', ')}</td>
            <td>{channel.groups.join(', ')}</td>
            <td>
              {channel.status}
              {channel.status_reason && ` (${channel.status_reason})`}
            </td>
            <td>{channel.priority}</td>
            <td>{channel.weight}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
