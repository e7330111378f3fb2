import { Type, type Static } from '@tollgate/typebox';
import { LIMITS, OneOf } from '../schema/fields.js';
import { Omittable, PASS_THROUGH, RequestedModel, TextOrTokens } from './request-fields.js';

export const EmbeddingRequest = Type.Object(
  {
    model: RequestedModel(),
    input: TextOrTokens({
      nonEmptyText: true,
      maxItems: LIMITS.embeddingInputs,
      errorMessage: `{param} must be a non-empty string, or an array of 1 to ${LIMITS.embeddingInputs} strings, token ids or token-id arrays`,
    }),
    encoding_format: Omittable(OneOf(['float', 'base64'])),
    dimensions: Omittable(Type.Integer({ minimum: 1 })),
    user: Omittable(Type.String()),
  },
  {
    ...PASS_THROUGH,
    $id: 'EmbeddingRequest',
    description:
      'POST /v1/embeddings. Only the fields the gateway reads are declared; every other field is passed to the upstream as sent.',
  },
);
export type EmbeddingRequest = Static<typeof EmbeddingRequest>;
