import { Type, type Static } from '@tollgate/typebox';
import { Omittable, PASS_THROUGH, RequestedModel } from './request-fields.js';

/** OpenAI's model when a moderation request names none; the gateway routes and bills by it. */
export const DEFAULT_MODERATION_MODEL = 'omni-moderation-latest';

const InputPart = Type.Object(
  { type: Type.String({ description: 'text or image_url' }) },
  { ...PASS_THROUGH, description: 'A multimodal part: {type: "text", text} or {type: "image_url", image_url}' },
);

export const ModerationRequest = Type.Object(
  {
    model: Omittable(RequestedModel(), { default: DEFAULT_MODERATION_MODEL }),
    input: Type.Union(
      [Type.String(), Type.Array(Type.String(), { minItems: 1 }), Type.Array(InputPart, { minItems: 1 })],
      { errorMessage: '{param} must be a string, an array of strings or an array of input parts' },
    ),
  },
  {
    ...PASS_THROUGH,
    $id: 'ModerationRequest',
    description:
      'POST /v1/moderations, billed by input tokens. Only the fields the gateway reads are declared; every other field is passed to the upstream as sent.',
  },
);
export type ModerationRequest = Static<typeof ModerationRequest>;
