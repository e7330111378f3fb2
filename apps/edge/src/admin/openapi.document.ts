import { ADMIN_ROUTES, OPS_ROUTES, openApiDocument, V1_ROUTES } from '@tollgate/contracts';

/** Every route the edge serves, in the order the document lists them. */
export const EDGE_ROUTES = [...Object.values(V1_ROUTES), ...Object.values(ADMIN_ROUTES), ...Object.values(OPS_ROUTES)];

/**
 * The edge's OpenAPI document, served at GET /admin/v1/openapi.json. Made
 * from the route declarations the controllers are served from (`@Serve`),
 * so it cannot describe a route, a field or a status the edge does not have.
 */
export const EDGE_OPENAPI = openApiDocument(
  {
    title: 'Tollgate',
    version: '1',
    description:
      'An OpenAI-compatible LLM API gateway. `/v1` is the OpenAI surface; `/admin/v1` manages users, keys, channels, prices and balances. Authenticate with `Authorization: Bearer <key>` (or, in the console, the `tollgate_session` cookie from POST /admin/v1/session, with `X-CSRF-Token` on writes); the role of the key’s user decides which admin routes it may call. Money is a decimal string with up to 6 decimals. Every error has the `Error` shape, with the trace id `tid` also in the `X-Tid` header.',
    tags: [
      { name: 'openai', description: 'The OpenAI-compatible surface, relayed to upstream channels' },
      {
        name: 'session',
        description:
          'Console sign-in: a staff key exchanged for an HttpOnly session cookie, with a CSRF token for writes',
      },
      { name: 'users', description: 'Users, their roles and groups (admin)' },
      {
        name: 'keys',
        description: 'API keys: stored as hashes, restricted by model, IP range, budget and rate (admin)',
      },
      { name: 'channels', description: 'Upstream provider accounts, their health and tests (admin)' },
      { name: 'prices', description: 'Model prices and group multipliers (billing)' },
      { name: 'balances', description: 'Top-ups, adjustments, holds and the ledger (billing)' },
      { name: 'reports', description: 'Usage and reconciliation (billing)' },
      { name: 'operations', description: 'Health, metrics and this document' },
    ],
  },
  EDGE_ROUTES,
);
