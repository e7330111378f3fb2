import { Type, type Static } from '@tollgate/typebox';
import { STAFF_ROLES } from '../auth.contract.js';
import { Instant, Nullable, OneOf, Uuid } from '../schema/fields.js';

/** Console sign-in: the staff key, sent once; the answer's cookie stands for it from then on. */
export const SessionOpenInput = Type.Object(
  {
    key: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'A key of a user with the billing, admin or root role (sk-…)',
    }),
  },
  { additionalProperties: false, $id: 'SessionOpen' },
);
export type SessionOpenInput = Static<typeof SessionOpenInput>;

export const SessionResponse = Type.Object(
  {
    object: Type.Literal('console_session'),
    user: Type.Object(
      { id: Uuid(), name: Type.String(), email: Nullable(Type.String()), role: OneOf(STAFF_ROLES) },
      { additionalProperties: false },
    ),
    key: Type.Object({ id: Uuid(), name: Type.String(), last6: Type.String() }, { additionalProperties: false }),
    expires_at: Instant({ description: 'When the session (and its cookie) ends; sign in again after it' }),
    csrf_token: Type.String({
      description:
        'Send it as the X-CSRF-Token header on every write made with the session cookie; keep it in memory only (GET /admin/v1/session answers it again)',
    }),
    currency: Type.String({ description: 'The currency balances and prices are in (ISO 4217), for display' }),
  },
  { additionalProperties: false, $id: 'ConsoleSession' },
);
export type SessionResponse = Static<typeof SessionResponse>;

export const SessionClosedResponse = Type.Object(
  { object: Type.Literal('console_session'), closed: Type.Boolean() },
  { additionalProperties: false, $id: 'ConsoleSessionClosed' },
);
export type SessionClosedResponse = Static<typeof SessionClosedResponse>;
