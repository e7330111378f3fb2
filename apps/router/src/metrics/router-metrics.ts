import { CHANNEL_HEALTH_STATES, type ChannelHealthState } from '@tollgate/contracts';
import { serviceRegistry } from '@tollgate/ops';
import { Gauge } from 'prom-client';

let readStates: (() => Iterable<{ channelId: number; state: ChannelHealthState }>) | undefined;

/**
 * One series per channel and state, 1 for the state it is in and 0 for the
 * others (kube-state-metrics' convention), so `sum by (state)` counts
 * channels and a dashboard can show each one's history. Read at scrape time
 * from this replica's table and health records, which every replica keeps in
 * step through the health broadcasts. Channel ids are bounded by the
 * configuration.
 */
new Gauge({
  name: 'tollgate_channel_state',
  help: `A channel's state: 1 for the one it is in (${CHANNEL_HEALTH_STATES.join(', ')}), 0 for the others`,
  labelNames: ['channel', 'state'] as const,
  registers: [serviceRegistry('router')],
  collect() {
    this.reset();
    for (const { channelId, state } of readStates?.() ?? []) {
      for (const each of CHANNEL_HEALTH_STATES) this.labels(String(channelId), each).set(each === state ? 1 : 0);
    }
  },
});

export const routerMetrics = {
  watchChannelStates(read: () => Iterable<{ channelId: number; state: ChannelHealthState }>): void {
    readStates = read;
  },
};
