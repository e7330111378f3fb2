import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ChannelTestInput, ChannelTestResponse } from '@tollgate/contracts';
import { api } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { Field } from '../../components/field';
import { Loading } from '../../components/loading';
import { CHANNELS_KEY } from './channel-list';

/** A real one-token request upstream; a pass re-enables an auto-disabled channel, so status and health refresh. */
export function ChannelTest({ id, models }: { id: string; models: string[] }) {
  const queryClient = useQueryClient();
  const [model, setModel] = useState(models[0] ?? '');
  const test = useMutation({
    mutationFn: (body: ChannelTestInput) => api.post<ChannelTestResponse>(`/channels/${id}/test`, body),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['channel', id] });
      void queryClient.invalidateQueries({ queryKey: ['channel-health', id] });
      void queryClient.invalidateQueries({ queryKey: CHANNELS_KEY });
    },
  });
  return (
    <section aria-labelledby="test-channel">
      <h2 id="test-channel">Test</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          test.mutate(model ? { model } : {});
        }}
      >
        <Field label="Model to test">
          {(props) => (
            <select {...props} value={model} onChange={(e) => setModel(e.target.value)}>
              {models.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={test.isPending}>
          Test
        </button>
      </form>
      {test.isPending && <Loading label="Testing…" />}
      {test.error && <ErrorMessage error={test.error} title="The test could not be run" />}
      {test.data && !test.isPending && <TestResult result={test.data} />}
    </section>
  );
}

function TestResult({ result }: { result: ChannelTestResponse }) {
  const latency = `${Math.round(result.latency_ms)} ms`;
  return (
    <div className={result.ok ? 'ok' : 'error'} role="status" aria-label="Test result">
      <p>
        {result.ok
          ? `Passed: upstream answered ${result.status} in ${latency}.`
          : `Failed: ${result.status === 0 ? 'upstream not reached in time' : `upstream answered ${result.status}`} after ${latency}.`}
      </p>
      {result.error && <p>Error: {result.error}</p>}
    </div>
  );
}
