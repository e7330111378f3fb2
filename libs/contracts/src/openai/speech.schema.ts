import { Type, type Static } from '@tollgate/typebox';
import { LIMITS, OneOf } from '../schema/fields.js';
import { Omittable, PASS_THROUGH, RequestedModel } from './request-fields.js';

export const SpeechRequest = Type.Object(
  {
    model: RequestedModel(),
    input: Type.String({
      minLength: 1,
      description: 'The text to speak, billed per character; longer than the model allows is text_too_long',
    }),
    voice: Type.Union([Type.String(), Type.Object({}, PASS_THROUGH)], {
      description: 'A voice name, or an object naming a custom voice',
    }),
    response_format: Omittable(OneOf(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'])),
    speed: Omittable(Type.Number({ minimum: LIMITS.speechSpeedMin, maximum: LIMITS.speechSpeedMax })),
    instructions: Omittable(Type.String()),
  },
  {
    ...PASS_THROUGH,
    $id: 'SpeechRequest',
    description:
      'POST /v1/audio/speech; the answer is the audio as the upstream sends it. Only the fields the gateway reads are declared; every other field is passed to the upstream as sent.',
  },
);
export type SpeechRequest = Static<typeof SpeechRequest>;
