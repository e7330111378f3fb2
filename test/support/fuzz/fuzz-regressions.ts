import type { FuzzRequest, FuzzTargets } from './fuzz-request.js';

/** A case the fuzzer once found, kept as it was shrunk: the requests in order, each checked like any fuzzed one. */
export interface FuzzRegression {
  name: string;
  /** The route whose declaration the answers are checked against. */
  operationId: string;
  requests: (targets: FuzzTargets) => FuzzRequest[];
}

const json = (key: string): [string, string][] => [
  ['authorization', `Bearer ${key}`],
  ['content-type', 'application/json'],
];
const get = (key: string, target: string): FuzzRequest => ({
  method: 'get',
  target,
  headers: json(key),
  bodyEncoding: 'utf8',
});

export const REGRESSIONS: FuzzRegression[] = [
  {
    name: 'a stored-response id that is no key-value key (`..`) is the 404 of an unknown response, not a 500',
    operationId: 'getResponse',
    requests: ({ customerKey }) => [get(customerKey, '/v1/responses/..?')],
  },
  {
    name: 'an unknown channel id answers the 404 the channel routes document',
    operationId: 'getChannel',
    requests: ({ rootKey }) => [get(rootKey, '/admin/v1/channels/9?&&')],
  },
  {
    name: 'a DELETE with a body in an empty content type answers the 415 it documents',
    operationId: 'deleteChannel',
    requests: ({ rootKey }) => [
      {
        method: 'delete',
        target: '/admin/v1/channels/%001',
        headers: [
          ['authorization', `Bearer ${rootKey}`],
          ['content-type', ''],
        ],
        body: '{}',
        bodyEncoding: 'utf8',
      },
    ],
  },
  {
    name: 'the OpenAPI document is the JSON object the document itself describes',
    operationId: 'getOpenApiDocument',
    requests: ({ rootKey }) => [get(rootKey, '/admin/v1/openapi.json')],
  },
  {
    name: 'a top-up reusing an idempotency key for another amount answers the 409 it documents',
    operationId: 'topUp',
    requests: ({ rootKey, adminFixtures }) => {
      const target = `/admin/v1/users/${adminFixtures.user_id}/topups`;
      const body = (amount: string) => JSON.stringify({ amount, reason: '!', idempotency_key: 'fuzz-regression-y' });
      return [
        { method: 'post', target, headers: json(rootKey), body: body('0.7'), bodyEncoding: 'utf8' },
        { method: 'post', target, headers: json(rootKey), body: body('0.8'), bodyEncoding: 'utf8' },
      ];
    },
  },
];
