import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import type { ChannelCreate, ChannelResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { ChannelForm } from './channel-form';
import { CHANNELS_KEY } from './channel-list';

/** The create form; a created channel opens on its own page, where it can be tested right away. */
export function CreateChannel() {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  // A new form after each success, so the password field never keeps the key just sent.
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: (body: ChannelCreate) => api.post<ChannelResponse>('/channels', body),
    onSuccess: (channel) => {
      void queryClient.invalidateQueries({ queryKey: CHANNELS_KEY });
      queryClient.setQueryData(['channel', String(channel.id)], channel);
      setFormKey((k) => k + 1);
      navigate(`/channels/${channel.id}`);
    },
  });
  return (
    <section aria-labelledby="create-channel">
      <h2 id="create-channel">Create a channel</h2>
      <ChannelForm
        key={formKey}
        submitLabel="Create channel"
        pending={create.isPending}
        onSubmit={(body) => create.mutate(body as ChannelCreate)}
      />
      {create.error && <ErrorMessage error={create.error} title="The channel was not created" />}
    </section>
  );
}
