import type { PickRequest } from '@tollgate/contracts';
import type { RoutableChannel } from './routable-channel.js';
import type { RandomSource } from './random-source.js';

/** A pick for tests: gpt-4o chat completions for the `default` group, nothing pinned or excluded. */
export function pickRequest(overrides: Partial<PickRequest> = {}): PickRequest {
  return {
    model: 'gpt-4o',
    endpoint: 'chat.completions',
    group: 'default',
    pinnedChannel: null,
    excludeChannelIds: [],
    ...overrides,
  };
}

/** A routable channel for tests: enabled, serving gpt-4o to `default`, priority 0, weight 1. */
export function routableChannel(id: number, overrides: Partial<RoutableChannel> = {}): RoutableChannel {
  return {
    id,
    name: `channel-${id}`,
    type: 'openai',
    baseUrl: 'https://upstream.invalid/v1',
    apiVersion: null,
    apiKey: `sk-upstream-key-${id}`,
    models: new Set(['gpt-4o']),
    modelMapping: {},
    groups: new Set(['default']),
    priority: 0,
    weight: 1,
    status: 'enabled',
    statusReason: null,
    timeouts: { connectMs: 5000, firstByteMs: 120000, idleMs: 60000 },
    ...overrides,
  };
}

/** A seeded PRNG (mulberry32), so statistical tests are repeatable. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clock the test moves by hand. */
export class ManualClock {
  constructor(public now = Date.parse('2025-01-01T00:00:00Z')) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}
