/**
 * The admin API's OpenAPI document, served at GET /admin/v1/openapi.json.
 * Written by hand and kept true to the controllers by openapi.document.spec.ts,
 * which fails when a route exists in one and not the other.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const money = (description: string): Schema => ({
  type: 'string',
  pattern: '^-?\\d{1,12}(\\.\\d{1,6})?$',
  description,
});
const list = (item: string): Schema => ({
  type: 'object',
  properties: {
    object: { const: 'list' },
    data: { type: 'array', items: ref(item) },
    next_cursor: { type: ['string', 'null'] },
  },
});
const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const errors = {
  '400': { description: 'Invalid input (the field is named in error.param)', ...json(ref('Error')) },
  '401': { description: 'Missing, invalid or expired key', ...json(ref('Error')) },
  '403': { description: 'Forbidden – insufficient permissions.', ...json(ref('Error')) },
  '404': { description: 'No such resource', ...json(ref('Error')) },
  '503': { description: 'A service did not answer in time', ...json(ref('Error')) },
};
const pathParam = (name: string, schema: Schema = { type: 'string' }) => ({ name, in: 'path', required: true, schema });
const op = (
  summary: string,
  role: 'admin' | 'billing',
  response: Schema,
  extra: { body?: Schema; params?: unknown[]; status?: string } = {},
) => ({
  summary,
  description: `Role: ${role === 'admin' ? 'admin or root' : 'billing, admin or root'}.`,
  ...(extra.params ? { parameters: extra.params } : {}),
  ...(extra.body ? { requestBody: { required: true, ...json(extra.body) } } : {}),
  responses: { [extra.status ?? '200']: { description: 'OK', ...json(response) }, ...errors },
});

const userInput: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    email: { type: ['string', 'null'] },
    role: { enum: ['user', 'billing', 'admin', 'root'] },
    group: { type: 'string', pattern: '^[\\w.-]{1,64}$' },
    status: { enum: ['active', 'suspended'] },
  },
};
const keyInput: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    expires_at: { type: ['string', 'null'], format: 'date-time', description: 'null = never' },
    allowed_models: { type: ['array', 'null'], items: { type: 'string' }, description: 'null or [] = all' },
    allowed_ip_ranges: {
      type: ['array', 'null'],
      items: { type: 'string' },
      description: 'IPv4/IPv6 CIDRs; null or [] = any',
    },
    budget: { ...money('Total spend allowed for the key; null = none'), type: ['string', 'null'] },
    rpm_limit: { type: ['integer', 'null'], minimum: 1 },
  },
};
const channelInput: Schema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { enum: ['openai'] },
    base_url: { type: 'string', format: 'uri', description: 'The OpenAI-compatible base URL, ending in /v1' },
    api_key: { type: 'string', writeOnly: true, description: 'Encrypted at rest; never returned' },
    models: { type: 'array', items: { type: 'string' } },
    model_mapping: { type: 'object', additionalProperties: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    priority: { type: 'integer', description: 'Higher first' },
    weight: { type: 'integer', minimum: 1, description: 'Share within a priority' },
    status: { enum: ['enabled', 'disabled'] },
    timeouts: {
      type: 'object',
      properties: {
        connect_ms: { type: 'integer' },
        first_byte_ms: { type: 'integer' },
        idle_ms: { type: 'integer' },
      },
    },
  },
};

export const ADMIN_OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Tollgate admin API',
    version: '1',
    description:
      'Users, keys, channels, prices and balances. Authenticate with `Authorization: Bearer <key>`; the key’s user role decides which routes it may call. Money is a decimal string with up to 6 decimals.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: {
              message: { type: 'string' },
              type: { type: 'string' },
              param: { type: ['string', 'null'] },
              code: { type: ['string', 'null'] },
              tid: { type: 'string', description: 'Trace id; quote it to support' },
            },
          },
        },
      },
      User: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          object: { const: 'user' },
          ...(userInput.properties as Schema),
          created_at: { type: 'string', format: 'date-time' },
          updated_at: { type: 'string', format: 'date-time' },
        },
      },
      Key: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          object: { const: 'api_key' },
          user_id: { type: 'string', format: 'uuid' },
          prefix: { type: 'string' },
          last6: { type: 'string' },
          status: { enum: ['active', 'revoked'] },
          last_used_at: { type: ['string', 'null'], format: 'date-time' },
          created_at: { type: 'string', format: 'date-time' },
          ...(keyInput.properties as Schema),
        },
      },
      CreatedKey: {
        allOf: [
          ref('Key'),
          { type: 'object', properties: { key: { type: 'string', description: 'Shown only here' } } },
        ],
      },
      Channel: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          object: { const: 'channel' },
          ...(channelInput.properties as Schema),
          api_key: undefined,
          api_key_last4: { type: 'string' },
          status: { enum: ['enabled', 'disabled', 'auto_disabled'] },
          status_reason: { type: ['string', 'null'] },
        },
      },
      Price: {
        type: 'object',
        properties: {
          object: { const: 'price' },
          model: { type: 'string' },
          input_per_million: money('Per million input tokens'),
          output_per_million: money('Per million output tokens'),
          image_prices: { type: 'object', additionalProperties: money('Per image of that size') },
          characters_per_million: money('Per million characters of speech input'),
        },
      },
      Hold: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          object: { const: 'hold' },
          user_id: { type: 'string' },
          key_id: { type: 'string' },
          model: { type: 'string' },
          amount: money('Held'),
          expires_at: { type: 'string', format: 'date-time' },
        },
      },
      Balance: {
        type: 'object',
        properties: {
          object: { const: 'balance' },
          user_id: { type: 'string' },
          balance: money('Available balance'),
          held: money('Held by requests in flight'),
        },
      },
      LedgerEntry: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          object: { const: 'ledger_entry' },
          type: { enum: ['topup', 'adjustment', 'hold', 'charge', 'release', 'expiry'] },
          amount: money('Signed change of the balance'),
          balance_after: money('Balance after this entry'),
          hold_id: { type: ['string', 'null'] },
          actor: { type: 'string' },
          reason: { type: ['string', 'null'] },
          tid: { type: ['string', 'null'] },
          idempotency_key: { type: 'string' },
          created_at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/admin/v1/users': {
      get: op('List users (cursor pages)', 'admin', list('User'), {
        params: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ],
      }),
      post: op('Create a user', 'admin', ref('User'), { body: userInput, status: '201' }),
    },
    '/admin/v1/users/{userId}': {
      get: op('Get a user', 'admin', ref('User'), { params: [pathParam('userId')] }),
      patch: op('Change a user (status, role, group, name, email)', 'admin', ref('User'), {
        params: [pathParam('userId')],
        body: userInput,
      }),
    },
    '/admin/v1/users/{userId}/keys': {
      get: op('List a user’s keys (no secrets)', 'admin', list('Key'), { params: [pathParam('userId')] }),
      post: op('Create a key; the key is in this response and nowhere else, ever', 'admin', ref('CreatedKey'), {
        params: [pathParam('userId')],
        body: keyInput,
        status: '201',
      }),
    },
    '/admin/v1/keys/{keyId}': {
      patch: op('Change a key', 'admin', ref('Key'), { params: [pathParam('keyId')], body: keyInput }),
    },
    '/admin/v1/keys/{keyId}/revoke': {
      post: op('Revoke a key (effective on every replica within a second)', 'admin', ref('Key'), {
        params: [pathParam('keyId')],
      }),
    },
    '/admin/v1/channels': {
      get: op('List channels', 'admin', list('Channel')),
      post: op('Create a channel', 'admin', ref('Channel'), { body: channelInput, status: '201' }),
    },
    '/admin/v1/channels/{id}': {
      get: op('Get a channel', 'admin', ref('Channel'), { params: [pathParam('id', { type: 'integer' })] }),
      patch: op('Change a channel', 'admin', ref('Channel'), {
        params: [pathParam('id', { type: 'integer' })],
        body: channelInput,
      }),
      delete: op('Delete a channel', 'admin', { type: 'object' }, { params: [pathParam('id', { type: 'integer' })] }),
    },
    '/admin/v1/prices': {
      get: op('List model prices', 'billing', list('Price')),
    },
    '/admin/v1/prices/{model}': {
      put: op('Set a model’s price', 'billing', ref('Price'), {
        params: [pathParam('model')],
        body: {
          type: 'object',
          properties: {
            input_per_million: money(''),
            output_per_million: money(''),
            image_prices: { type: 'object', additionalProperties: money('') },
            characters_per_million: money(''),
          },
        },
      }),
    },
    '/admin/v1/users/{userId}/topups': {
      post: op(
        'Top up a balance (idempotent by idempotency_key)',
        'billing',
        { type: 'object' },
        {
          params: [pathParam('userId')],
          status: '201',
          body: {
            type: 'object',
            required: ['amount', 'reason', 'idempotency_key'],
            properties: { amount: money('Positive'), reason: { type: 'string' }, idempotency_key: { type: 'string' } },
          },
        },
      ),
    },
    '/admin/v1/users/{userId}/balance': {
      get: op('A user’s balance and held amount', 'billing', ref('Balance'), { params: [pathParam('userId')] }),
    },
    '/admin/v1/users/{userId}/ledger': {
      get: op('A user’s ledger, newest first (cursor pages; format=csv exports CSV)', 'billing', list('LedgerEntry'), {
        params: [
          pathParam('userId'),
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'type', in: 'query', schema: { type: 'string' }, description: 'Comma-separated entry types' },
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'format', in: 'query', schema: { enum: ['json', 'csv'] } },
        ],
      }),
    },
    '/admin/v1/users/{userId}/adjustments': {
      post: op(
        'Adjust a balance by a signed amount (idempotent by idempotency_key)',
        'billing',
        { type: 'object' },
        {
          params: [pathParam('userId')],
          status: '201',
          body: {
            type: 'object',
            required: ['amount', 'reason', 'idempotency_key'],
            properties: {
              amount: money('Signed'),
              reason: { type: 'string' },
              idempotency_key: { type: 'string' },
              allow_negative: { type: 'boolean', description: 'Let a debit take the balance below zero' },
            },
          },
        },
      ),
    },
    '/admin/v1/adjustments/batch': {
      post: op(
        'Many adjustments: dry run shows each row; applying is all-or-nothing',
        'billing',
        { type: 'object' },
        {
          body: {
            type: 'object',
            properties: {
              dry_run: { type: 'boolean' },
              allow_negative: { type: 'boolean' },
              rows: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    user_id: { type: 'string' },
                    amount: money('Signed'),
                    reason: { type: 'string' },
                    idempotency_key: { type: 'string' },
                  },
                },
              },
              csv: {
                type: 'string',
                description: 'Instead of rows: CSV with header user_id,amount,reason,idempotency_key',
              },
            },
          },
        },
      ),
    },
    '/admin/v1/users/{userId}/holds': {
      get: op('A user’s open holds', 'billing', list('Hold'), { params: [pathParam('userId')] }),
    },
    '/admin/v1/usage': {
      get: op(
        'Usage by user, key, model and day',
        'billing',
        { type: 'object' },
        {
          params: ['from', 'to', 'user_id', 'key_id', 'model'].map((name) => ({
            name,
            in: 'query',
            schema: { type: 'string' },
          })),
        },
      ),
    },
    '/admin/v1/reconcile': {
      get: op('Balances against ledgers and holds; differences listed', 'billing', { type: 'object' }),
    },
    '/admin/v1/groups': {
      get: op('Group price multipliers', 'billing', { type: 'object' }),
    },
    '/admin/v1/groups/{group}/multiplier': {
      put: op(
        'Set a group’s price multiplier',
        'billing',
        { type: 'object' },
        {
          params: [pathParam('group')],
          body: {
            type: 'object',
            required: ['multiplier'],
            properties: { multiplier: { type: 'string', example: '0.8' } },
          },
        },
      ),
    },
    '/admin/v1/channels/{id}/test': {
      post: op(
        'Send a real request upstream; report status and latency',
        'admin',
        { type: 'object' },
        {
          params: [pathParam('id', { type: 'integer' })],
          body: { type: 'object', properties: { model: { type: 'string' } } },
        },
      ),
    },
    '/admin/v1/channels/{id}/health': {
      get: op(
        'Channel health: state, cooldown, recent errors',
        'admin',
        { type: 'object' },
        {
          params: [pathParam('id', { type: 'integer' })],
        },
      ),
    },
  },
};
