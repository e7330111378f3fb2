import { eventSubject, subject, type Reply } from './subject.js';

export const CHANNEL_STATUSES = ['enabled', 'disabled', 'auto_disabled'] as const;
export type ChannelStatus = (typeof CHANNEL_STATUSES)[number];

export const CHANNEL_TYPES = ['openai'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface ChannelTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

export interface PickRequest {
  model: string;
  group: string;
  /** The raw pinned channel from the key suffix, or null. */
  pinnedChannel: string | null;
  /** Channels this request already tried, so a retry goes elsewhere. */
  excludeChannelIds: number[];
}

/** Everything the edge needs to call one upstream. */
export interface PickedChannel {
  channelId: number;
  name: string;
  type: ChannelType;
  baseUrl: string;
  /** Decrypted only for this reply; never logged, never returned by the admin API. */
  apiKey: string;
  upstreamModel: string;
  pinned: boolean;
  timeouts: ChannelTimeouts;
  /**
   * Whether a success on this channel must be reported as an outcome. False
   * when the channel has no health history: a success would change nothing,
   * so the edge saves the message. Failures are always reported.
   */
  reportSuccess: boolean;
}

/** What happened on one upstream call; drives cooldowns and circuit breaking. */
export interface UpstreamOutcome {
  channelId: number;
  model: string;
  /** HTTP status from upstream, or 0 for a connection failure / timeout. */
  status: number;
  latencyMs: number;
  /** Seconds from the upstream's Retry-After, if any. */
  retryAfterSeconds: number | null;
  /** OpenAI error code from the upstream body (e.g. invalid_api_key), if any. */
  errorCode: string | null;
  timedOut: boolean;
}

/** Per-channel overrides of the configured timeouts; null (or absent) = the router's configured default. */
export type ChannelTimeoutsInput = { [K in keyof ChannelTimeouts]?: number | null };

export interface ChannelInput {
  name: string;
  type?: ChannelType;
  /** The provider's OpenAI-style base URL including its version path, e.g. `https://api.openai.com/v1`. */
  baseUrl: string;
  /** Write-only: stored encrypted, never returned (only its last 4 characters). Omit in an update to keep it. */
  apiKey: string;
  models: string[];
  modelMapping?: Record<string, string>;
  groups?: string[];
  priority?: number;
  weight?: number;
  status?: Exclude<ChannelStatus, 'auto_disabled'>;
  timeouts?: ChannelTimeoutsInput;
}

export interface ChannelView {
  id: number;
  name: string;
  type: ChannelType;
  baseUrl: string;
  /** Only the last 4 characters of the upstream key are ever shown. */
  apiKeyLast4: string;
  models: string[];
  modelMapping: Record<string, string>;
  groups: string[];
  priority: number;
  weight: number;
  status: ChannelStatus;
  statusReason: string | null;
  timeouts: ChannelTimeouts;
  createdAt: string;
  updatedAt: string;
}

export interface ModelsRequest {
  group: string;
}

export interface TestChannelRequest {
  channelId: number;
  /** The model to try; default: the channel's first model (mapping applied). */
  model?: string;
}

/** A real, tiny, non-streaming chat completion sent to the upstream (max_tokens 1). */
export interface ChannelTestResult {
  ok: boolean;
  /** Upstream HTTP status, or 0 when it could not be reached or did not answer in time. */
  status: number;
  latencyMs: number;
  /** The upstream's error message (shortened) or the connection failure; null when ok. */
  error: string | null;
}

export const CHANNEL_HEALTH_STATES = [
  'healthy',
  'cooling_down',
  'circuit_open',
  'half_open',
  'disabled',
  'auto_disabled',
] as const;
export type ChannelHealthState = (typeof CHANNEL_HEALTH_STATES)[number];

export interface ChannelErrorView {
  at: string;
  status: number;
  errorCode: string | null;
}

export interface ChannelHealthView {
  state: ChannelHealthState;
  cooldownUntil: string | null;
  consecutiveFailures: number;
  recentErrors: ChannelErrorView[];
}

export type CircuitState = 'closed' | 'open' | 'half_open';

/** One channel's whole health record, as every router replica holds it. Times are epoch milliseconds. */
export interface ChannelHealthSnapshot {
  channelId: number;
  /** How many changes this record has seen. */
  version: number;
  consecutiveRateLimits: number;
  cooldownUntil: number | null;
  consecutiveFailures: number;
  circuit: CircuitState;
  /** When an open circuit lets one probe request through (half-open). */
  circuitOpenUntil: number | null;
  /** Half-open: a probe request is in flight until then; no other request is sent. */
  probeUntil: number | null;
  /** Newest last, at most a handful. */
  recentErrors: Array<{ at: number; status: number; errorCode: string | null }>;
}

export const CHANNEL_HEALTH_TRANSITIONS = [
  'cooldown_started',
  'failure_counted',
  'circuit_opened',
  'probe_started',
  'circuit_closed',
  'counters_reset',
  'auto_disabled',
  're_enabled',
] as const;
export type ChannelHealthTransition = (typeof CHANNEL_HEALTH_TRANSITIONS)[number];

/**
 * What happened to a channel, as every replica replays it: an upstream
 * outcome (classified), a half-open probe handed out, or a reset on enable.
 */
export interface ChannelHealthEvent {
  channelId: number;
  /** Epoch ms on the replica that saw it; replicas replay it at this time, not their own. */
  at: number;
  kind: 'dead_key' | 'rate_limited' | 'failure' | 'success' | 'client_error' | 'probe' | 'reset';
  /** Upstream HTTP status (0: connection failure / timeout; also 0 for probe and reset). */
  status: number;
  errorCode: string | null;
  retryAfterSeconds: number | null;
}

/**
 * Broadcast on every cooldown / circuit transition, so that all replicas pick
 * alike. Replicas replay `event` on their own state, so concurrent outcomes
 * handled by different replicas all count; `health` (the origin's result) is
 * adopted by a replica that holds nothing for the channel yet (just started).
 */
export interface ChannelHealthChange {
  /** The replica that saw the event; it already applied it and ignores its own echo. */
  origin: string;
  transition: ChannelHealthTransition;
  event: ChannelHealthEvent;
  health: ChannelHealthSnapshot;
}

export const RouterSubjects = {
  pick: subject<PickRequest, Reply<PickedChannel>>('tollgate.router.pick'),
  models: subject<ModelsRequest, string[]>('tollgate.router.models'),
  createChannel: subject<ChannelInput, Reply<ChannelView>>('tollgate.router.channels.create'),
  listChannels: subject<Record<string, never>, ChannelView[]>('tollgate.router.channels.list'),
  getChannel: subject<{ channelId: number }, Reply<ChannelView>>('tollgate.router.channels.get'),
  updateChannel: subject<{ channelId: number; patch: Partial<ChannelInput> }, Reply<ChannelView>>(
    'tollgate.router.channels.update',
  ),
  deleteChannel: subject<{ channelId: number }, Reply<{ deleted: true }>>('tollgate.router.channels.delete'),
  ping: subject<Record<string, never>, { service: string }>('tollgate.router.ping'),
  /** Load-balanced: one router replica records the outcome and broadcasts any transition. */
  outcome: eventSubject<UpstreamOutcome>('tollgate.router.outcome'),
  /** Broadcast: every replica reloads its channel table. */
  channelsChanged: eventSubject<{ channelIds: number[] }>('tollgate.broadcast.router.channels-changed'),
  /**
   * Sends a real request upstream, so it can take as long as the upstream
   * does (bounded by the router's CHANNEL_TEST_TIMEOUT_MS): callers should wait
   * longer than that rather than the default NATS request timeout.
   */
  testChannel: subject<TestChannelRequest, Reply<ChannelTestResult>>('tollgate.router.channels.test'),
  channelHealth: subject<{ channelId: number }, Reply<ChannelHealthView>>('tollgate.router.channels.health'),
  /** Broadcast: a channel's cooldown / circuit state changed; every replica applies it. */
  healthChanged: eventSubject<ChannelHealthChange>('tollgate.broadcast.router.health-changed'),
} as const;
