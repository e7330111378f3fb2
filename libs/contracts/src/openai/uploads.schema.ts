import { Type, type Static, type TObject } from '@tollgate/typebox';
import { LIMITS, OneOf } from '../schema/fields.js';
import { DEFAULT_IMAGE_MODEL } from './image-generations.schema.js';
import { ChoiceCount, Omittable, RequestedModel } from './request-fields.js';

/**
 * The multipart (`multipart/form-data`) bodies: the upload endpoints. A form
 * is text fields and file parts. The text fields are a TypeBox schema like
 * every other body, checked by the same compiled validator once the edge has
 * read them as numbers and booleans where the schema says so (a form has
 * only text); the file parts are declared beside it (`UploadFilePart`).
 *
 * Unlike the JSON bodies, a form's fields are declared in full
 * (`additionalProperties: false`): a part whose name the gateway does not
 * know is refused naming it, since a misspelt `file` or `image` would
 * otherwise reach the upstream as an unknown part.
 */
const FORM = { additionalProperties: false } as const;

/** OpenAI's limit for an audio file, and the one the edge checks a `file` part against. */
export const AUDIO_FILE_MAX_BYTES = 25 * 1024 * 1024;

/** A file part of a form, as the OpenAPI document shows it and the edge reads it. */
export interface UploadFilePart {
  /** The part's name as the client sends it (`image[]` for a list, as the official SDKs do). */
  name: string;
  description: string;
  /** Another part (`image` for `image[]`) satisfies the same requirement: the one name is required of the group. */
  group: string;
  required: boolean;
  /** One part of this name, or several. */
  list: boolean;
}

/** A form's declaration: its text fields' schema and its file parts. */
export interface UploadForm {
  fields: TObject;
  files: readonly UploadFilePart[];
}

export const TRANSCRIPTION_RESPONSE_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json', 'diarized_json'] as const;

const audioFields = {
  model: RequestedModel(),
  prompt: Omittable(Type.String(), { description: 'Text to guide the style, or continue a previous segment' }),
  response_format: Omittable(OneOf(TRANSCRIPTION_RESPONSE_FORMATS), {
    description:
      "json, text, srt, vtt or verbose_json (within the model's formats: gpt-4o-*-transcribe only json, text)",
  }),
  temperature: Omittable(Type.Number({ minimum: 0, maximum: 1 })),
};

export const TranscriptionRequest = Type.Object(
  {
    ...audioFields,
    language: Omittable(Type.String({ maxLength: LIMITS.nameLength }), {
      description: 'The language of the audio, as ISO-639-1 (e.g. en)',
    }),
    'timestamp_granularities[]': Omittable(Type.Array(OneOf(['word', 'segment'])), {
      description: 'word and/or segment, with verbose_json',
    }),
    stream: Omittable(Type.Boolean(), {
      description: 'Server-sent transcript events, for the models that stream (not whisper-1)',
    }),
    chunking_strategy: Omittable(Type.String()),
    'include[]': Omittable(Type.Array(Type.String())),
  },
  {
    ...FORM,
    $id: 'TranscriptionRequest',
    description:
      "POST /v1/audio/transcriptions (multipart/form-data): the text fields of the form; the audio is its `file` part. Billed by the upstream's reported usage, else by the audio's duration.",
  },
);
export type TranscriptionRequest = Static<typeof TranscriptionRequest>;

export const TranslationRequest = Type.Object(audioFields, {
  ...FORM,
  $id: 'TranslationRequest',
  description:
    'POST /v1/audio/translations (multipart/form-data): the text fields of the form; the audio (translated to English) is its `file` part.',
});
export type TranslationRequest = Static<typeof TranslationRequest>;

const AUDIO_FILE: UploadFilePart = {
  name: 'file',
  group: 'file',
  description: `The audio (flac, mp3, mp4, mpeg, mpga, m4a, ogg, wav or webm), at most ${AUDIO_FILE_MAX_BYTES / 1024 / 1024} MB`,
  required: true,
  list: false,
};

export const TRANSCRIPTION_FORM: UploadForm = { fields: TranscriptionRequest, files: [AUDIO_FILE] };
export const TRANSLATION_FORM: UploadForm = { fields: TranslationRequest, files: [AUDIO_FILE] };

/**
 * The image rules of generations apply as they are (prompt_missing,
 * prompt_too_long, n_not_within_range, size_not_supported: the model's
 * capabilities, checked after this).
 */
export const ImageEditRequest = Type.Object(
  {
    model: Omittable(RequestedModel(), { default: DEFAULT_IMAGE_MODEL }),
    prompt: Omittable(Type.String(), {
      description: 'Required: absent or empty is prompt_missing; longer than the model allows is prompt_too_long',
    }),
    n: Omittable(ChoiceCount(), { description: "Images to make, within the model's range (n_not_within_range)" }),
    size: Omittable(Type.String(), { description: 'One of the sizes the model offers (size_not_supported)' }),
    response_format: Omittable(OneOf(['url', 'b64_json'])),
    quality: Omittable(Type.String()),
    background: Omittable(Type.String()),
    input_fidelity: Omittable(Type.String()),
    output_format: Omittable(Type.String()),
    output_compression: Omittable(Type.Integer({ minimum: 0, maximum: 100 })),
    user: Omittable(Type.String()),
    stream: Omittable(Type.Literal(false), {
      errorMessage: 'streaming image edits are not supported by this gateway: {param} must be false or absent',
    }),
  },
  {
    ...FORM,
    $id: 'ImageEditRequest',
    description:
      'POST /v1/images/edits (multipart/form-data): the text fields of the form; the images are its `image` (or `image[]`) parts, the mask its `mask` part. Billed per image at the requested size.',
  },
);
export type ImageEditRequest = Static<typeof ImageEditRequest>;

export const IMAGE_EDIT_FORM: UploadForm = {
  fields: ImageEditRequest,
  files: [
    { name: 'image', group: 'image', description: 'The image to edit', required: true, list: false },
    {
      name: 'image[]',
      group: 'image',
      description: 'Several images (gpt-image-1), as the SDKs send a list',
      required: true,
      list: true,
    },
    {
      name: 'mask',
      group: 'mask',
      description: 'A PNG whose transparent areas mark where to edit',
      required: false,
      list: false,
    },
  ],
};
