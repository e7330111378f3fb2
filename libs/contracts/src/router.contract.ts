import { Type, type Static, type TSchema } from '@tollgate/typebox';
import {
  ApiVersion,
  BaseUrl,
  ChannelId,
  GroupName,
  HttpStatus,
  Instant,
  Int4,
  LIMITS,
  ModelMapping,
  ModelName,
  Name,
  Nullable,
  OneOf,
  Tid,
  Traceparent,
  TimeoutMs,
  UpstreamKey,
} from './schema/fields.js';
import { Empty, eventSubject, PingReply, Reply, subject } from './subject.js';

/**
 * Requests refuse fields they do not define. The channel fields come from
 * the admin API, and a refusal names them the way its client spells them
 * (`clientName`: `base_url`, `timeouts.connect_ms`), so the edge can show it
 * as OpenAI's `param`. The upstream key is never echoed in a refusal.
 */
const STRICT = { additionalProperties: false } as const;

export const CHANNEL_STATUSES = ['enabled', 'disabled', 'auto_disabled'] as const;
export const ChannelStatus = OneOf(CHANNEL_STATUSES);
export type ChannelStatus = Static<typeof ChannelStatus>;

/** What an admin may set: `auto_disabled` is the router's own verdict; an admin enables or disables. */
export const SETTABLE_CHANNEL_STATUSES = ['enabled', 'disabled'] as const;

/** The upstream dialects a channel can speak; each has its adapter in libs/providers. */
export const CHANNEL_TYPES = ['openai', 'azure', 'anthropic', 'gemini'] as const;
export const ChannelType = OneOf(CHANNEL_TYPES);
export type ChannelType = Static<typeof ChannelType>;

/**
 * The upstream endpoints the edge relays. A pick names one, and only
 * channels whose type serves it are considered: a request is never sent,
 * half-converted, to an upstream that cannot answer it.
 */
export const UPSTREAM_ENDPOINTS = [
  'chat.completions',
  'completions',
  'embeddings',
  'images.generations',
  'audio.speech',
  'audio.transcriptions',
  'audio.translations',
  'images.edits',
  'moderations',
  /** OpenAI's Responses API, natively (a Responses request on another type is translated to chat.completions). */
  'responses',
  /** Anthropic's Messages API, natively (a Messages request on another type is translated to chat.completions). */
  'messages',
  'messages.count_tokens',
] as const;
export const UpstreamEndpoint = OneOf(UPSTREAM_ENDPOINTS);
export type UpstreamEndpoint = Static<typeof UpstreamEndpoint>;

export const ChannelTimeouts = Type.Object({
  connectMs: TimeoutMs(),
  firstByteMs: TimeoutMs(),
  idleMs: TimeoutMs(),
});
export type ChannelTimeouts = Static<typeof ChannelTimeouts>;

/** Asked for on the request path, from what the edge already holds: nothing the client sent unchecked. */
export const PickRequest = Type.Object(
  {
    model: Type.String(),
    group: Type.String(),
    endpoint: UpstreamEndpoint,
    /** The raw pinned channel from the key suffix, or null: the router reads it (an unreadable one is a documented 400). */
    pinnedChannel: Nullable(Type.String()),
    /** Channels this request already tried, so a retry goes elsewhere. */
    excludeChannelIds: Type.Array(Type.Integer()),
    /**
     * The channel whose upstream stores what this request continues (a
     * Responses follow-up naming a stored response): only it can serve it.
     * Absent for every other request.
     */
    storedOn: Type.Optional(Type.Integer()),
  },
  STRICT,
);
export type PickRequest = Static<typeof PickRequest>;

/** Everything the edge needs to call one upstream. */
export const PickedChannel = Type.Object({
  channelId: ChannelId(),
  name: Type.String(),
  type: ChannelType,
  baseUrl: Type.String(),
  /** Decrypted only for this reply; never logged, never returned by the admin API. */
  apiKey: Type.String(),
  /** Azure's api-version; null for the other types. */
  apiVersion: Nullable(Type.String()),
  upstreamModel: Type.String(),
  pinned: Type.Boolean(),
  timeouts: ChannelTimeouts,
  /**
   * Whether a success on this channel must be reported as an outcome. False
   * when the channel has no health history: a success would change nothing,
   * so the edge saves the message. Failures are always reported.
   */
  reportSuccess: Type.Boolean(),
});
export type PickedChannel = Static<typeof PickedChannel>;

/** What happened on one upstream call; drives cooldowns and circuit breaking. */
export const UpstreamOutcome = Type.Object({
  channelId: ChannelId(),
  model: Type.String(),
  /** HTTP status from upstream, or 0 for a connection failure / timeout. */
  status: HttpStatus(),
  latencyMs: Type.Number({ minimum: 0 }),
  /** Seconds from the upstream's Retry-After, if any. */
  retryAfterSeconds: Nullable(Type.Number({ minimum: 0 })),
  /** OpenAI error code from the upstream body (e.g. invalid_api_key), if any. */
  errorCode: Nullable(Type.String()),
  timedOut: Type.Boolean(),
  /**
   * Set by an edge that picks from the routing table (unique per edge and
   * outcome): the edge applied the outcome to its own health copy at once,
   * and skips the router's broadcast of the same event (ChannelHealthEvent.id).
   */
  id: Type.Optional(Type.String()),
  /**
   * The tid of the request that made the call: outcomes travel in batches of
   * many requests, so the router records each inside its own request's tid,
   * and a cooldown or breaker it starts is logged with the tid that caused it.
   * Absent from older edges.
   */
  tid: Type.Optional(Tid()),
  /** The trace context of that request, when the edge traces: the router's span for the outcome is its child. */
  traceparent: Type.Optional(Traceparent()),
});
export type UpstreamOutcome = Static<typeof UpstreamOutcome>;

/** Outcomes an edge collected over a few milliseconds, and the half-open probes it handed out. */
export const UpstreamOutcomeBatch = Type.Object({
  outcomes: Type.Array(UpstreamOutcome),
  /** Channels whose one half-open probe this edge just sent: the router tells every replica and edge. */
  probes: Type.Array(ChannelId()),
});
export type UpstreamOutcomeBatch = Static<typeof UpstreamOutcomeBatch>;

/** Per-channel overrides of the configured timeouts; null (or absent) = the router's configured default. */
export const ChannelTimeoutsInput = Type.Object(
  {
    connectMs: Type.Optional(Nullable(TimeoutMs(), { clientName: 'connect_ms' })),
    firstByteMs: Type.Optional(Nullable(TimeoutMs(), { clientName: 'first_byte_ms' })),
    idleMs: Type.Optional(Nullable(TimeoutMs(), { clientName: 'idle_ms' })),
  },
  STRICT,
);
export type ChannelTimeoutsInput = Static<typeof ChannelTimeoutsInput>;

/** Model names, or groups: at least one (repeats are dropped). A refusal names the list, not an item of it. */
const nameList = <T extends TSchema>(item: T, what: string) =>
  Type.Array(item, {
    minItems: 1,
    maxItems: LIMITS.listItems,
    errorParam: 'list',
    errorMessage: `{param} must be a list of 1 to ${LIMITS.listItems} ${what}`,
  });

export const ChannelInput = Type.Object(
  {
    name: Name(),
    type: Type.Optional(ChannelType),
    /** The provider's base URL: for openai with its version path (`https://api.openai.com/v1`). */
    baseUrl: BaseUrl({ clientName: 'base_url' }),
    /** Azure only: the `api-version` query; null = the adapter's default. */
    apiVersion: Type.Optional(Nullable(ApiVersion({ clientName: 'api_version' }))),
    /** Write-only: stored encrypted, never returned (only its last 4 characters). Omit in an update to keep it. */
    apiKey: UpstreamKey({ clientName: 'api_key' }),
    models: nameList(ModelName(), `model names of 1 to ${LIMITS.nameLength} characters`),
    modelMapping: Type.Optional(ModelMapping({ clientName: 'model_mapping' })),
    groups: Type.Optional(
      nameList(GroupName(), `group names of 1–${LIMITS.groupNameLength} letters, digits, dots, dashes or underscores`),
    ),
    priority: Type.Optional(Int4()),
    weight: Type.Optional(Int4({ minimum: 1 })),
    status: Type.Optional(OneOf(SETTABLE_CHANNEL_STATUSES)),
    timeouts: Type.Optional(ChannelTimeoutsInput),
  },
  STRICT,
);
export type ChannelInput = Static<typeof ChannelInput>;

export const ChannelView = Type.Object({
  id: ChannelId(),
  name: Type.String(),
  type: ChannelType,
  baseUrl: Type.String(),
  apiVersion: Nullable(Type.String()),
  /** Only the last 4 characters of the upstream key are ever shown. */
  apiKeyLast4: Type.String(),
  models: Type.Array(Type.String()),
  modelMapping: Type.Record(Type.String(), Type.String()),
  groups: Type.Array(Type.String()),
  priority: Type.Integer(),
  weight: Type.Integer(),
  status: ChannelStatus,
  statusReason: Nullable(Type.String()),
  timeouts: ChannelTimeouts,
  createdAt: Instant(),
  updatedAt: Instant(),
});
export type ChannelView = Static<typeof ChannelView>;

export const ModelsRequest = Type.Object({ group: Type.String() }, STRICT);
export type ModelsRequest = Static<typeof ModelsRequest>;

export const TestChannelRequest = Type.Object(
  {
    channelId: ChannelId(),
    /** The model to try; default: the channel's first model (mapping applied). */
    model: Type.Optional(ModelName()),
  },
  STRICT,
);
export type TestChannelRequest = Static<typeof TestChannelRequest>;

/** A real, tiny, non-streaming chat completion sent to the upstream (max_tokens 1). */
export const ChannelTestResult = Type.Object({
  ok: Type.Boolean(),
  /** Upstream HTTP status, or 0 when it could not be reached or did not answer in time. */
  status: HttpStatus(),
  latencyMs: Type.Number({ minimum: 0 }),
  /** The upstream's error message (shortened) or the connection failure; null when ok. */
  error: Nullable(Type.String()),
});
export type ChannelTestResult = Static<typeof ChannelTestResult>;

export const CHANNEL_HEALTH_STATES = [
  'healthy',
  'cooling_down',
  'circuit_open',
  'half_open',
  'disabled',
  'auto_disabled',
] as const;
export const ChannelHealthState = OneOf(CHANNEL_HEALTH_STATES);
export type ChannelHealthState = Static<typeof ChannelHealthState>;

export const ChannelErrorView = Type.Object({
  at: Instant(),
  status: HttpStatus(),
  errorCode: Nullable(Type.String()),
});
export type ChannelErrorView = Static<typeof ChannelErrorView>;

export const ChannelHealthView = Type.Object({
  state: ChannelHealthState,
  cooldownUntil: Nullable(Instant()),
  consecutiveFailures: Type.Integer({ minimum: 0 }),
  recentErrors: Type.Array(ChannelErrorView),
});
export type ChannelHealthView = Static<typeof ChannelHealthView>;

export const CIRCUIT_STATES = ['closed', 'open', 'half_open'] as const;
export const CircuitState = OneOf(CIRCUIT_STATES);
export type CircuitState = Static<typeof CircuitState>;

/** One channel's whole health record, as every router replica holds it. Times are epoch milliseconds. */
export const ChannelHealthSnapshot = Type.Object({
  channelId: ChannelId(),
  /** How many changes this record has seen. */
  version: Type.Integer({ minimum: 0 }),
  consecutiveRateLimits: Type.Integer({ minimum: 0 }),
  cooldownUntil: Nullable(Type.Number()),
  consecutiveFailures: Type.Integer({ minimum: 0 }),
  circuit: CircuitState,
  /** When an open circuit lets one probe request through (half-open). */
  circuitOpenUntil: Nullable(Type.Number()),
  /** Half-open: a probe request is in flight until then; no other request is sent. */
  probeUntil: Nullable(Type.Number()),
  /** Newest last, at most a handful. */
  recentErrors: Type.Array(
    Type.Object({ at: Type.Number(), status: HttpStatus(), errorCode: Nullable(Type.String()) }),
  ),
});
export type ChannelHealthSnapshot = Static<typeof ChannelHealthSnapshot>;

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
export const ChannelHealthTransition = OneOf(CHANNEL_HEALTH_TRANSITIONS);
export type ChannelHealthTransition = Static<typeof ChannelHealthTransition>;

export const CHANNEL_HEALTH_EVENT_KINDS = [
  'dead_key',
  'rate_limited',
  'failure',
  'success',
  'client_error',
  'probe',
  'reset',
] as const;

/**
 * What happened to a channel, as every replica replays it: an upstream
 * outcome (classified), a half-open probe handed out, or a reset on enable.
 */
export const ChannelHealthEvent = Type.Object({
  channelId: ChannelId(),
  /** Epoch ms on the replica that saw it; replicas replay it at this time, not their own. */
  at: Type.Number(),
  kind: OneOf(CHANNEL_HEALTH_EVENT_KINDS),
  /** Upstream HTTP status (0: connection failure / timeout; also 0 for probe and reset). */
  status: HttpStatus(),
  errorCode: Nullable(Type.String()),
  retryAfterSeconds: Nullable(Type.Number()),
  /** The outcome's id when an edge reported it with one (UpstreamOutcome.id). */
  id: Type.Optional(Type.String()),
});
export type ChannelHealthEvent = Static<typeof ChannelHealthEvent>;

/**
 * Broadcast on every cooldown / circuit transition, so that all replicas pick
 * alike. Replicas replay `event` on their own state, so concurrent outcomes
 * handled by different replicas all count; `health` (the origin's result) is
 * adopted by a replica that holds nothing for the channel yet (just started).
 */
export const ChannelHealthChange = Type.Object({
  /** The replica that saw the event; it already applied it and ignores its own echo. */
  origin: Type.String(),
  transition: ChannelHealthTransition,
  event: ChannelHealthEvent,
  health: ChannelHealthSnapshot,
});
export type ChannelHealthChange = Static<typeof ChannelHealthChange>;

const ChannelRef = Type.Object({ channelId: ChannelId() }, STRICT);

/** One channel as the routing table carries it to the edges: what a pick needs. */
export const RoutingChannel = Type.Object({
  id: ChannelId(),
  name: Type.String(),
  type: ChannelType,
  baseUrl: Type.String(),
  apiVersion: Nullable(Type.String()),
  /** Decrypted; null when it would not decrypt (never routed). Never logged. */
  apiKey: Nullable(Type.String()),
  models: Type.Array(Type.String()),
  modelMapping: Type.Record(Type.String(), Type.String()),
  groups: Type.Array(Type.String()),
  priority: Type.Integer(),
  weight: Type.Integer({ minimum: 0 }),
  status: ChannelStatus,
  statusReason: Nullable(Type.String()),
  timeouts: ChannelTimeouts,
});
export type RoutingChannel = Static<typeof RoutingChannel>;

/** The settings every copy of channel health must share to replay events alike. */
export const RoutingHealthSettings = Type.Object({
  cooldownBaseMs: Type.Number({ minimum: 0 }),
  cooldownMaxMs: Type.Number({ minimum: 0 }),
  breakerFailureThreshold: Type.Integer({ minimum: 1 }),
  breakerOpenMs: Type.Number({ minimum: 0 }),
  recentErrorsKept: Type.Integer({ minimum: 0 }),
});

/**
 * The router's routing table, as edges pick from it. `revision` is the
 * database clock (epoch µs) read before the channel rows were: a table
 * with a higher revision holds every change committed before it, so an
 * edge keeps the highest it has seen, whichever router replica sent it.
 * `health` is the sender's health records, adopted by an edge for channels
 * it holds no record of (it just started); later changes arrive as
 * `healthChanged` events.
 */
export const RoutingTable = Type.Object({
  revision: Type.Number({ minimum: 0 }),
  channels: Type.Array(RoutingChannel),
  health: Type.Array(ChannelHealthSnapshot),
  settings: RoutingHealthSettings,
});
export type RoutingTable = Static<typeof RoutingTable>;

export const RouterSubjects = {
  pick: subject('tollgate.router.pick', PickRequest, Reply(PickedChannel)),
  models: subject('tollgate.router.models', ModelsRequest, Type.Array(Type.String())),
  createChannel: subject('tollgate.router.channels.create', ChannelInput, Reply(ChannelView)),
  listChannels: subject('tollgate.router.channels.list', Empty, Type.Array(ChannelView)),
  getChannel: subject('tollgate.router.channels.get', ChannelRef, Reply(ChannelView)),
  updateChannel: subject(
    'tollgate.router.channels.update',
    Type.Object(
      {
        channelId: ChannelId(),
        // The patch is the whole body the admin API's client sent: its fields are named on their own
        // (`weight`, not `patch.weight`), and the patch itself is the `body`.
        patch: Type.Partial(ChannelInput, { clientName: '' }),
      },
      STRICT,
    ),
    Reply(ChannelView),
  ),
  deleteChannel: subject(
    'tollgate.router.channels.delete',
    ChannelRef,
    Reply(Type.Object({ deleted: Type.Literal(true) })),
  ),
  ping: subject('tollgate.router.ping', Empty, PingReply),
  /** Load-balanced: one router replica records an edge's outcomes and probes of the last few ms, and broadcasts any transition. */
  outcomes: eventSubject('tollgate.router.outcomes', UpstreamOutcomeBatch),
  /** The current routing table, for an edge that starts, reconnects or refreshes. */
  routingTable: subject('tollgate.router.routing-table', Empty, RoutingTable),
  /** Broadcast after every reload of a replica's channel table: edges keep the highest revision. */
  routingTableChanged: eventSubject('tollgate.broadcast.router.routing-table', RoutingTable),
  /** Broadcast: every replica reloads its channel table. */
  channelsChanged: eventSubject(
    'tollgate.broadcast.router.channels-changed',
    Type.Object({ channelIds: Type.Array(Type.Integer()) }),
  ),
  /**
   * Sends a real request upstream, so it can take as long as the upstream
   * does (bounded by the router's CHANNEL_TEST_TIMEOUT_MS): callers should wait
   * longer than that rather than the default NATS request timeout.
   */
  testChannel: subject('tollgate.router.channels.test', TestChannelRequest, Reply(ChannelTestResult)),
  channelHealth: subject('tollgate.router.channels.health', ChannelRef, Reply(ChannelHealthView)),
  /** Broadcast: a channel's cooldown / circuit state changed; every replica applies it. */
  healthChanged: eventSubject('tollgate.broadcast.router.health-changed', ChannelHealthChange),
} as const;
