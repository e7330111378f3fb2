import { Type, type Static } from '@tollgate/typebox';
import {
  CHANNEL_HEALTH_STATES,
  CHANNEL_STATUSES,
  CHANNEL_TYPES,
  SETTABLE_CHANNEL_STATUSES,
} from '../router.contract.js';
import {
  ApiVersion,
  AZURE_DEFAULT_API_VERSION,
  BaseUrl,
  GroupName,
  Instant,
  Int4,
  LIMITS,
  ModelMapping,
  ModelName,
  Name,
  Nullable,
  OneOf,
  TimeoutMs,
  UpstreamKey,
} from '../schema/fields.js';
import { ListOf } from './common.api.js';

/* Upstream channels on the admin API. The upstream key goes in and never comes out. */

const timeoutsInput = Type.Object(
  {
    connect_ms: Type.Optional(Nullable(TimeoutMs())),
    first_byte_ms: Type.Optional(Nullable(TimeoutMs())),
    idle_ms: Type.Optional(Nullable(TimeoutMs())),
  },
  { additionalProperties: false, description: "Per-channel overrides; null = back to the router's default" },
);

const channelFields = {
  name: Name(),
  type: Type.Optional(OneOf(CHANNEL_TYPES, { description: 'The upstream dialect; default openai' })),
  base_url: BaseUrl({
    description:
      "The provider's base URL: for openai with its version path (https://api.openai.com/v1), for azure the resource endpoint (https://{resource}.openai.azure.com), for anthropic without a version path (https://api.anthropic.com), for gemini the API host (https://generativelanguage.googleapis.com)",
  }),
  api_version: Type.Optional(
    Nullable(
      ApiVersion({
        description: `azure only: the api-version query; null = the gateway's default (${AZURE_DEFAULT_API_VERSION})`,
      }),
    ),
  ),
  api_key: UpstreamKey({ description: 'Encrypted at rest; never returned (only its last 4 characters)' }),
  models: Type.Array(ModelName(), { minItems: 1, maxItems: LIMITS.listItems }),
  model_mapping: Type.Optional(ModelMapping({ description: 'Requested model name → the upstream model name' })),
  groups: Type.Optional(
    Type.Array(GroupName(), { minItems: 1, maxItems: LIMITS.listItems, description: 'Groups this channel serves' }),
  ),
  priority: Type.Optional(Int4({ description: 'Higher first' })),
  weight: Type.Optional(Int4({ minimum: 1, description: 'Share of the traffic within a priority' })),
  status: Type.Optional(
    OneOf(SETTABLE_CHANNEL_STATUSES, { description: 'auto_disabled is the router’s own verdict, not settable' }),
  ),
  timeouts: Type.Optional(timeoutsInput),
};

export const ChannelCreate = Type.Object(channelFields, { additionalProperties: false, $id: 'ChannelCreate' });
export type ChannelCreate = Static<typeof ChannelCreate>;
export const ChannelUpdate = Type.Partial(Type.Object(channelFields), {
  additionalProperties: false,
  $id: 'ChannelUpdate',
  description: 'Absent fields keep their value; omit api_key to keep the stored one',
});
export type ChannelUpdate = Static<typeof ChannelUpdate>;

export const ChannelResponse = Type.Object(
  {
    id: Type.Integer(),
    object: Type.Literal('channel'),
    name: Type.String(),
    type: OneOf(CHANNEL_TYPES),
    base_url: Type.String(),
    api_version: Nullable(Type.String()),
    api_key_last4: Type.String(),
    models: Type.Array(Type.String()),
    model_mapping: Type.Record(Type.String(), Type.String()),
    groups: Type.Array(Type.String()),
    priority: Type.Integer(),
    weight: Type.Integer(),
    status: OneOf(CHANNEL_STATUSES),
    status_reason: Nullable(Type.String()),
    timeouts: Type.Object(
      { connect_ms: Type.Integer(), first_byte_ms: Type.Integer(), idle_ms: Type.Integer() },
      { additionalProperties: false },
    ),
    created_at: Instant(),
    updated_at: Instant(),
  },
  { additionalProperties: false, $id: 'Channel' },
);
export type ChannelResponse = Static<typeof ChannelResponse>;
export const ChannelList = ListOf(ChannelResponse, 'ChannelList');
export type ChannelList = Static<typeof ChannelList>;

export const ChannelDeletedResponse = Type.Object(
  { id: Type.Integer(), object: Type.Literal('channel'), deleted: Type.Literal(true) },
  { additionalProperties: false, $id: 'ChannelDeleted' },
);
export type ChannelDeletedResponse = Static<typeof ChannelDeletedResponse>;

export const ChannelTestInput = Type.Object(
  { model: Type.Optional(ModelName({ description: "Default: the channel's first model (mapping applied)" })) },
  { additionalProperties: false, $id: 'ChannelTestInput' },
);
export type ChannelTestInput = Static<typeof ChannelTestInput>;

export const ChannelTestResponse = Type.Object(
  {
    object: Type.Literal('channel_test'),
    ok: Type.Boolean(),
    status: Type.Integer({ description: 'Upstream HTTP status; 0 when it could not be reached in time' }),
    latency_ms: Type.Number(),
    error: Nullable(Type.String()),
  },
  { additionalProperties: false, $id: 'ChannelTest' },
);
export type ChannelTestResponse = Static<typeof ChannelTestResponse>;

export const ChannelHealthResponse = Type.Object(
  {
    object: Type.Literal('channel_health'),
    state: OneOf(CHANNEL_HEALTH_STATES),
    cooldown_until: Nullable(Instant()),
    consecutive_failures: Type.Integer(),
    recent_errors: Type.Array(
      Type.Object(
        { at: Instant(), status: Type.Integer(), error_code: Nullable(Type.String()) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, $id: 'ChannelHealth' },
);
export type ChannelHealthResponse = Static<typeof ChannelHealthResponse>;

/** A channel id in a path; anything else is the documented "Bad Request – invalid channel ID." */
export const ChannelIdParams = Type.Object(
  { id: Type.String({ pattern: '^[1-9]\\d{0,14}$', description: 'The channel id' }) },
  { additionalProperties: false },
);
