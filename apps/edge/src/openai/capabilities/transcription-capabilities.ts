import { ANY_MODEL } from './model-capability.types.js';

/** What the gateway checks a transcription or translation request against, and how it bills it when unreported. */
export interface TranscriptionCapabilities {
  /**
   * What the model is priced by: `duration` (per audio minute, whisper-1)
   * or `tokens` (gpt-4o-*-transcribe). The charge is the upstream's
   * reported usage whatever it says; this decides the hold, and the charge
   * when the answer reports none (text, srt, vtt). A `duration` model needs
   * the file's duration, so a file whose format cannot be read is refused.
   */
  billedBy: 'duration' | 'tokens';
  /** `stream: true` is accepted (server-sent transcript events). */
  streams: boolean;
  /** The `response_format` values the model answers in. */
  responseFormats: readonly string[];
}

const GPT_4O_TRANSCRIBE: TranscriptionCapabilities = {
  billedBy: 'tokens',
  streams: true,
  responseFormats: ['json', 'text'],
};

/**
 * From OpenAI's API reference: whisper-1 answers in every format and does
 * not stream; the gpt-4o transcribe models answer json or text, and stream.
 * `*`, a model the table does not name, is taken as whisper-1 is — every
 * format, no stream, billed by duration — since OpenAI-compatible servers
 * mostly serve Whisper models.
 */
export const DEFAULT_TRANSCRIPTION_CAPABILITIES: Readonly<Record<string, TranscriptionCapabilities>> = {
  'whisper-1': {
    billedBy: 'duration',
    streams: false,
    responseFormats: ['json', 'text', 'srt', 'vtt', 'verbose_json'],
  },
  'gpt-4o-transcribe': GPT_4O_TRANSCRIBE,
  'gpt-4o-mini-transcribe': GPT_4O_TRANSCRIBE,
  'gpt-4o-transcribe-diarize': { ...GPT_4O_TRANSCRIBE, responseFormats: ['json', 'text', 'diarized_json'] },
  [ANY_MODEL]: {
    billedBy: 'duration',
    streams: false,
    responseFormats: ['json', 'text', 'srt', 'vtt', 'verbose_json'],
  },
};

/** A model's transcription capabilities: its own, else those of `*`. */
export const transcriptionCapabilities = (model: string): TranscriptionCapabilities =>
  DEFAULT_TRANSCRIPTION_CAPABILITIES[model] ?? DEFAULT_TRANSCRIPTION_CAPABILITIES[ANY_MODEL];
