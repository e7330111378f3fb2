import { Type, type SchemaOptions, type TSchema } from '@tollgate/typebox';
import { LIMITS, Nullable, storablePattern } from '../schema/fields.js';
import type { ErrorAnnotations } from '../schema/validator.js';

type Options = SchemaOptions & ErrorAnnotations;

/**
 * Every `/v1` request body: the declared fields are the ones the edge reads;
 * every other field passes through to the upstream untouched, since
 * providers add parameters faster than a relay learns them.
 */
export const PASS_THROUGH = { additionalProperties: true } as const;

/**
 * An optional field of an OpenAI request. OpenAI treats an explicit `null`
 * like an absent field (SDKs send `null` for "not set"), so both are fine.
 */
export const Omittable = <T extends TSchema>(schema: T, options: Options = {}) =>
  Type.Optional(Nullable(schema, options));

/**
 * The model, as the edge's relay reads it before authentication (auth checks
 * the key may use it): a non-empty string that the services can store (it is
 * written with every hold), so no NUL, no unpaired surrogate, and no longer
 * than a model name can be. A model no channel serves is the router's
 * documented 503, not a 400.
 */
export const RequestedModel = (options: Options = {}) =>
  Type.String({
    minLength: 1,
    maxLength: LIMITS.nameLength,
    pattern: storablePattern(),
    patternMessage: '{param} must not contain NUL or unpaired surrogate characters',
    description: 'The model, as the channels serve it',
    ...options,
  });

/**
 * `n`, the number of choices or images. The seed documents its own 400 for
 * a number outside the range ("invalid value of n", n_not_within_range):
 * the edge answers with it for any number this refuses, and with
 * invalid_request for a value of another type.
 */
export const ChoiceCount = (options: Options & { maximum?: number } = {}) => Type.Integer({ minimum: 1, ...options });

/** `stream` and `stream_options` of the two streaming endpoints. */
export const STREAM_FIELDS = {
  stream: Omittable(Type.Boolean(), { description: 'Answer as server-sent events' }),
  stream_options: Omittable(
    Type.Object(
      {
        include_usage: Omittable(Type.Boolean(), {
          description: 'End the stream with a usage chunk (the gateway asks for it anyway, to bill)',
        }),
      },
      PASS_THROUGH,
    ),
  ),
};

/** The sampling knobs both text endpoints share: numbers when present; their ranges are each provider's own. */
export const SAMPLING_FIELDS = {
  temperature: Omittable(Type.Number()),
  top_p: Omittable(Type.Number()),
  presence_penalty: Omittable(Type.Number()),
  frequency_penalty: Omittable(Type.Number()),
};

/**
 * A prompt or input: a string, a list of strings, a list of token ids or a
 * list of token-id lists; never an empty list.
 */
export const TextOrTokens = ({
  nonEmptyText = false,
  maxItems,
  ...options
}: Options & { nonEmptyText?: boolean; maxItems?: number }) => {
  const list = maxItems === undefined ? { minItems: 1 } : { minItems: 1, maxItems };
  return Type.Union(
    [
      Type.String(nonEmptyText ? { minLength: 1 } : {}),
      Type.Array(Type.String(), list),
      Type.Array(Type.Integer(), list),
      Type.Array(Type.Array(Type.Integer(), { minItems: 1 }), list),
    ],
    options,
  );
};
