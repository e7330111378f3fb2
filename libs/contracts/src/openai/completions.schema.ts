import { Type, type Static } from '@tollgate/typebox';
import { LIMITS } from '../schema/fields.js';
import {
  ChoiceCount,
  Omittable,
  PASS_THROUGH,
  RequestedModel,
  SAMPLING_FIELDS,
  STREAM_FIELDS,
  TextOrTokens,
} from './request-fields.js';

/** The legacy endpoint's own default for `max_tokens` (OpenAI API reference); the hold is sized by it. */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

export const CompletionRequest = Type.Object(
  {
    model: RequestedModel(),
    prompt: TextOrTokens({
      description: 'A list of strings or of token-id lists is a batch: one completion (or n) per prompt',
      errorMessage: '{param} must be a string, an array of strings or an array of token ids',
    }),
    max_tokens: Omittable(Type.Integer({ minimum: 0 }), {
      default: COMPLETIONS_DEFAULT_MAX_TOKENS,
      description: 'Most tokens per completion; 0 with echo scores a prompt without generating',
    }),
    n: Omittable(ChoiceCount({ maximum: LIMITS.choices }), { description: 'Completions to return per prompt' }),
    best_of: Omittable(Type.Integer({ minimum: 1, maximum: LIMITS.bestOf }), {
      description: 'Candidates generated (and billed) per prompt, of which the best n are returned',
    }),
    logprobs: Omittable(Type.Integer({ minimum: 0, maximum: LIMITS.completionLogprobs })),
    echo: Omittable(Type.Boolean()),
    ...STREAM_FIELDS,
    ...SAMPLING_FIELDS,
  },
  {
    ...PASS_THROUGH,
    $id: 'CompletionRequest',
    description:
      'POST /v1/completions, the legacy text completions. Only the fields the gateway reads are declared; every other field is passed to the upstream as sent.',
  },
);
export type CompletionRequest = Static<typeof CompletionRequest>;
