import { describe, expect, it } from '@jest/globals';
import { ChannelInput, RouterSubjects, UpstreamOutcome } from './router.contract.js';
import { LIMITS } from './schema/fields.js';
import { describeSubjects, refusedParam, type Examples } from './testing/subject-cases.js';

const channel: ChannelInput = {
  name: 'openai-1',
  type: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: 'sk-upstream-0000',
  models: ['gpt-4o'],
  modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
  groups: ['default'],
  priority: 0,
  weight: 1,
  status: 'enabled',
  timeouts: { connectMs: 1000, firstByteMs: null },
};

const snapshot = {
  channelId: 1,
  version: 3,
  consecutiveRateLimits: 0,
  cooldownUntil: null,
  consecutiveFailures: 1,
  circuit: 'closed' as const,
  circuitOpenUntil: null,
  probeUntil: null,
  recentErrors: [{ at: 1_764_000_000_000, status: 502, errorCode: null }],
};

const examples: Examples<typeof RouterSubjects> = {
  pick: {
    model: 'gpt-4o',
    endpoint: 'chat.completions',
    group: 'default',
    pinnedChannel: null,
    excludeChannelIds: [3],
  },
  models: { group: 'default' },
  createChannel: channel,
  listChannels: {},
  getChannel: { channelId: 1 },
  updateChannel: { channelId: 1, patch: { weight: 3 } },
  deleteChannel: { channelId: 1 },
  ping: {},
  outcomes: {
    outcomes: [
      {
        channelId: 1,
        model: 'gpt-4o',
        status: 429,
        latencyMs: 12,
        retryAfterSeconds: 4,
        errorCode: null,
        timedOut: false,
        id: 'edge-1:7',
      },
    ],
    probes: [2],
  },
  routingTable: {},
  routingTableChanged: {
    revision: 1_764_000_000_000_000,
    channels: [
      {
        id: 1,
        name: 'openai-1',
        type: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        apiVersion: null,
        apiKey: 'sk-upstream-0000',
        models: ['gpt-4o'],
        modelMapping: { 'gpt-4o': 'gpt-4o-2024-08-06' },
        groups: ['default'],
        priority: 0,
        weight: 1,
        status: 'enabled',
        statusReason: null,
        timeouts: { connectMs: 1000, firstByteMs: 120_000, idleMs: 60_000 },
      },
    ],
    health: [snapshot],
    settings: {
      cooldownBaseMs: 1000,
      cooldownMaxMs: 60_000,
      breakerFailureThreshold: 5,
      breakerOpenMs: 30_000,
      recentErrorsKept: 10,
    },
  },
  channelsChanged: { channelIds: [1] },
  testChannel: { channelId: 1, model: 'gpt-4o' },
  channelHealth: { channelId: 1 },
  healthChanged: {
    origin: 'router-1',
    transition: 'failure_counted',
    event: {
      channelId: 1,
      at: 1_764_000_000_000,
      kind: 'failure',
      status: 502,
      errorCode: null,
      retryAfterSeconds: null,
    },
    health: snapshot,
  },
};

describe('RouterSubjects', () => {
  describeSubjects(RouterSubjects, examples);
});

describe('router requests', () => {
  it.each([
    [{ baseUrl: 'https://user:pass@example.com/v1' }, 'base_url'],
    [{ apiKey: 'has space' }, 'api_key'],
    [{ modelMapping: { 'gpt-4o': '' } }, 'model_mapping'],
    [{ models: Array.from({ length: LIMITS.listItems + 1 }, (_, i) => `m${i}`) }, 'models'],
    [{ timeouts: { idleMs: LIMITS.timeoutMs + 1 } }, 'timeouts.idle_ms'],
    [{ timeouts: { connect_ms: 5 } }, 'timeouts.connect_ms'],
    [{ status: 'auto_disabled' }, 'status'],
  ])('refuses a channel with %j, naming %s as the admin API spells it', (change, param) => {
    expect(refusedParam(ChannelInput, { ...channel, ...change })).toBe(param);
  });

  it('names a patch field on its own, and the patch as the body', () => {
    const update = RouterSubjects.updateChannel.request;
    expect(refusedParam(update, { channelId: 1, patch: { weight: 0 } })).toBe('weight');
    expect(refusedParam(update, { channelId: 1, patch: 'x' })).toBe('body');
    expect(refusedParam(update, { channelId: 0, patch: {} })).toBe('channelId');
  });

  it('takes outcomes for real channels only', () => {
    const [outcome] = examples.outcomes.outcomes;
    expect(refusedParam(UpstreamOutcome, { ...outcome, channelId: 0 })).toBe('channelId');
    expect(refusedParam(UpstreamOutcome, { ...outcome, channelId: LIMITS.int4 + 1 })).toBe('channelId');
  });
});
