import { Type, type TSchema } from '@tollgate/typebox';
import { Nullable } from '../schema/fields.js';

/** The error body of every refusal, with the trace id support looks up. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object(
      {
        message: Type.String({ description: 'The documented message, word for word' }),
        type: Type.String({ description: "OpenAI's error type, so SDKs classify it as they do theirs" }),
        param: Nullable(Type.String(), { description: 'The field at fault, as the client spelled it' }),
        code: Nullable(Type.String(), { description: 'The documented identifier, or null' }),
        tid: Type.String({ description: 'Trace id; quote it to support. Also in the X-Tid header' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'Error', description: 'Every error has this shape' },
);

/** `{ object: 'list', data: [...] }`, with `next_cursor` when the list is paged. */
export const ListOf = <T extends TSchema>(item: T, id: string, options: { paged?: boolean } = {}) =>
  Type.Object(
    {
      object: Type.Literal('list'),
      data: Type.Array(item),
      ...(options.paged
        ? {
            next_cursor: Nullable(Type.String(), {
              description: 'Pass as `cursor` for the next page; null on the last',
            }),
          }
        : {}),
    },
    { additionalProperties: false, $id: id },
  );

/** No fields: routes that take no body still refuse one that carries fields. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });
