import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import type { ChannelResponse, ChannelUpdate } from '@tollgate/contracts';
import { api } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { ChannelForm } from './channel-form';
import { ChannelHealth } from './channel-health';
import { CHANNELS_KEY } from './channel-list';
import { ChannelTest } from './channel-test';

/** One channel: its settings to edit, a live test and its health. */
export function ChannelDetail({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const channel = useQuery({
    queryKey: ['channel', id],
    queryFn: ({ signal }) => api.get<ChannelResponse>(`/channels/${id}`, undefined, signal),
  });
  const [saved, setSaved] = useState(false);
  const update = useMutation({
    mutationFn: (body: ChannelUpdate) => api.patch<ChannelResponse>(`/channels/${id}`, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(['channel', id], updated);
      void queryClient.invalidateQueries({ queryKey: CHANNELS_KEY });
      void queryClient.invalidateQueries({ queryKey: ['channel-health', id] });
      setSaved(true);
    },
  });

  return (
    <>
      <p>
        <Link href="/channels">← All channels</Link>
      </p>
      {channel.isPending && <Loading label="Loading the channel…" />}
      {channel.error && <ErrorMessage error={channel.error} title="The channel could not be loaded" />}
      {channel.data && (
        <>
          <h2>{channel.data.name}</h2>
          <dl>
            <dt>Status</dt>
            <dd>
              {channel.data.status}
              {channel.data.status_reason && ` (${channel.data.status_reason})`}
            </dd>
            <dt>Upstream key</dt>
            <dd>…{channel.data.api_key_last4}</dd>
            <dt>Created</dt>
            <dd>
              <DateTime value={channel.data.created_at} />
            </dd>
            <dt>Updated</dt>
            <dd>
              <DateTime value={channel.data.updated_at} />
            </dd>
          </dl>
          <ChannelTest id={id} models={channel.data.models} />
          <ChannelHealth id={id} />
          <section aria-labelledby="edit-channel">
            <h2 id="edit-channel">Edit</h2>
            <ChannelForm
              // A fresh form for each saved version, so it shows what the API now holds.
              key={channel.data.updated_at}
              channel={channel.data}
              submitLabel="Save changes"
              pending={update.isPending}
              onSubmit={(body) => {
                setSaved(false);
                update.mutate(body);
              }}
            />
            {saved && !update.isPending && (
              <p className="ok" role="status">
                Saved.
              </p>
            )}
            {update.error && <ErrorMessage error={update.error} title="The channel was not saved" />}
          </section>
        </>
      )}
    </>
  );
}
