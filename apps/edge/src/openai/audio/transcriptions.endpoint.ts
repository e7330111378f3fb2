import {
  AUDIO_FILE_MAX_BYTES,
  compile,
  TRANSCRIPTION_FORM,
  TRANSLATION_FORM,
  TranscriptionRequest,
  TranslationRequest,
  usageOf,
  type Usage,
  type UsageEstimate,
} from '@tollgate/contracts';
import { formOf } from '../../http/upload-routes.js';
import { AUDIO_TOKENS_PER_SECOND, mostAudioSeconds } from '../../relay/input-allowances.js';
import { countIfText } from '../../relay/usage-estimate.js';
import { invalid, type JsonObject } from '../body-fields.js';
import type { ModelCapabilities } from '../capabilities/model-capabilities.js';
import type { EndpointSpec, RequestEstimate } from '../endpoint.js';
import { audioDurationSeconds } from '../uploads/audio-duration.js';
import { checkForm } from '../uploads/form-check.js';
import { MultipartOutbound } from '../uploads/multipart-outbound.js';
import { TranscriptStreamTap } from './transcript-stream-tap.js';
import { reportedTranscriptionUsage, wholeSeconds } from './transcription-usage.js';

/**
 * Transcript tokens held per second of audio for a token-billed model: fast
 * speech is about 4 words a second, some 6 tokens; 8 covers it.
 */
export const TRANSCRIPT_TOKENS_PER_SECOND = 8;

const FORMS = {
  'audio.transcriptions': { form: TRANSCRIPTION_FORM, contract: compile(TranscriptionRequest) },
  'audio.translations': { form: TRANSLATION_FORM, contract: compile(TranslationRequest) },
} as const;

/** Each request's audio duration, read once while checking it (null: the format could not be read). */
const durations = new WeakMap<JsonObject, { seconds: number | null; bytes: number }>();

/**
 * `POST /v1/audio/transcriptions` and `/v1/audio/translations`: a form with
 * the audio as its `file`. The model's capabilities decide `stream` (the
 * gpt-4o transcribe models stream, whisper-1 does not) and
 * `response_format`. The charge is the upstream's reported usage; an answer
 * without one (text, srt, vtt) is charged by the audio's duration, read
 * from the file with music-metadata — so a model priced per minute needs a
 * file whose format can be read.
 */
export function transcriptionsEndpoint(
  capabilities: ModelCapabilities,
  endpoint: 'audio.transcriptions' | 'audio.translations',
): EndpointSpec {
  const { form: declaration, contract } = FORMS[endpoint];
  return {
    endpoint,
    streams: endpoint === 'audio.transcriptions',

    validate(body): void {
      const { files } = checkForm(declaration, contract, body);
      const model = body.model as string;
      const limits = capabilities.transcription(model);
      if (body.stream === true && !limits.streams) {
        throw invalid('stream', `${model} does not stream transcriptions: stream must be false or absent`);
      }
      const format = body.response_format;
      if (typeof format === 'string' && !limits.responseFormats.includes(format)) {
        throw invalid('response_format', `${model} answers in ${limits.responseFormats.join(', ')} only`);
      }
      const [file] = files.get('file') ?? [];
      if (file.data.length > AUDIO_FILE_MAX_BYTES) {
        throw invalid('file', `file must be at most ${AUDIO_FILE_MAX_BYTES / 1024 / 1024} MB`);
      }
    },

    async inspect(body): Promise<void> {
      const form = formOf(body);
      const file = form?.parts.find((part) => part.name === 'file' && part.filename !== null);
      if (!file) return; // validate refused it already
      const model = body.model as string;
      const limits = capabilities.transcription(model);
      const seconds = await audioDurationSeconds(file);
      if (seconds === null && limits.billedBy === 'duration') {
        throw invalid(
          'file',
          `the audio format of file cannot be read (${model} is billed by the audio's duration): send flac, mp3, mp4, m4a, ogg, wav or webm`,
        );
      }
      durations.set(body, { seconds, bytes: file.data.length });
    },

    outbound(body) {
      const form = formOf(body);
      if (!form) throw new Error('a transcription without its form reached the relay');
      return new MultipartOutbound(form, body.model as string);
    },

    streamTap: () => new TranscriptStreamTap(),

    estimate(body): RequestEstimate {
      const audio = durations.get(body);
      // An unreadable file (a token-billed model only) is held at the most its size can last.
      const seconds = audio
        ? audio.seconds === null
          ? mostAudioSeconds(audio.bytes)
          : wholeSeconds(audio.seconds)
        : 0;
      const held = { images: 0, imageSize: null, characters: 0 };
      if (capabilities.transcription(body.model as string).billedBy === 'duration') {
        return { ...held, inputTokens: 0, inputAllowanceTokens: 0, outputTokens: 0, audioSeconds: seconds };
      }
      const audioTokens = seconds * AUDIO_TOKENS_PER_SECOND;
      return {
        ...held,
        inputTokens: audioTokens + countIfText(body.prompt),
        inputAllowanceTokens: audioTokens,
        outputTokens: Math.max(1, seconds * TRANSCRIPT_TOKENS_PER_SECOND),
      };
    },

    usageFromResponse(json, body, estimate: UsageEstimate): Usage {
      const reported = reportedTranscriptionUsage(json);
      if (reported) return reported;
      // Nothing reported (text, srt, vtt; or a server that omits it): what was held, the transcript counted when seen.
      if (capabilities.transcription(body.model as string).billedBy === 'duration') {
        return usageOf({ audioSeconds: estimate.audioSeconds ?? 0 });
      }
      const text = json?.text;
      return usageOf({
        inputTokens: estimate.inputTokens,
        outputTokens: typeof text === 'string' ? countIfText(text) : estimate.outputTokens,
      });
    },
  };
}
