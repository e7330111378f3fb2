import { Type, type Static } from '@tollgate/typebox';
import { OneOf } from '../schema/fields.js';
import { ChoiceCount, Omittable, PASS_THROUGH, RequestedModel } from './request-fields.js';

/** OpenAI's model when an image request names none; the gateway routes and bills by it. */
export const DEFAULT_IMAGE_MODEL = 'dall-e-2';

/**
 * The prompt's presence and length, `n`'s range and the size depend on the
 * model (the edge's capability table), so they are not declared here: they
 * are the seed's documented 400s (prompt_missing, prompt_too_long,
 * n_not_within_range, size_not_supported), checked after this.
 */
export const ImageGenerationRequest = Type.Object(
  {
    model: Omittable(RequestedModel(), { default: DEFAULT_IMAGE_MODEL }),
    prompt: Omittable(Type.String(), {
      description: 'Required: absent or empty is prompt_missing; longer than the model allows is prompt_too_long',
    }),
    n: Omittable(ChoiceCount(), { description: "Images to generate, within the model's range (n_not_within_range)" }),
    size: Omittable(Type.String(), {
      description: 'One of the sizes the model offers, e.g. 1024x1024 (size_not_supported), in any case',
    }),
    response_format: Omittable(OneOf(['url', 'b64_json'])),
    quality: Omittable(Type.String()),
    style: Omittable(Type.String()),
    stream: Omittable(Type.Literal(false), {
      errorMessage: 'streaming image generation is not supported by this gateway: {param} must be false or absent',
    }),
  },
  {
    ...PASS_THROUGH,
    $id: 'ImageGenerationRequest',
    description:
      'POST /v1/images/generations, billed per image at the requested size. Only the fields the gateway reads are declared; every other field is passed to the upstream as sent.',
  },
);
export type ImageGenerationRequest = Static<typeof ImageGenerationRequest>;
