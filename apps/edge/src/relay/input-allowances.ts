/**
 * Input the edge cannot count with a tokenizer — images, audio, files — is
 * held at a stated allowance instead. The edge never decodes media, so each
 * allowance is the most the upstream could bill for what the edge can see.
 */

/**
 * OpenAI's published vision cost: a `low` detail image is 85 tokens whatever
 * its size; `high` (and `auto`, which may choose high) is 85 plus 170 per
 * 512-px tile after scaling the image to fit 2048×2048 and then its short
 * side to 768 px. The most tiles that scaling leaves is 768×2048 = 2×4 tiles,
 * so the allowance is 85 + 170 × 8 = 1,445 tokens — what the largest image
 * costs, held because the edge does not decode the image to see its size.
 * An unknown detail is held like `high`.
 */
export const IMAGE_BASE_TOKENS = 85;
export const IMAGE_TILE_TOKENS = 170;
export const IMAGE_MAX_TILES = 8;
export const IMAGE_LOW_DETAIL_TOKENS = IMAGE_BASE_TOKENS;
export const IMAGE_HIGH_DETAIL_TOKENS = IMAGE_BASE_TOKENS + IMAGE_TILE_TOKENS * IMAGE_MAX_TILES;

export function imageTokens(detail: unknown): number {
  return detail === 'low' ? IMAGE_LOW_DETAIL_TOKENS : IMAGE_HIGH_DETAIL_TOKENS;
}

/** OpenAI bills audio input at one token per 100 ms. */
export const AUDIO_TOKENS_PER_SECOND = 10;

/**
 * The fewest bytes a second of audio takes, per format, so that the duration
 * read from an input's size is never less than its real length: WAV at 8 kHz,
 * 16-bit mono (telephone quality, the least speech is recorded at); MP3 and
 * anything else at 32 kbit/s, the lowest bitrate of MPEG-1 Layer III.
 */
const AUDIO_MIN_BYTES_PER_SECOND: Readonly<Record<string, number>> = { wav: 16_000, mp3: 4_000 };
const OTHER_AUDIO_MIN_BYTES_PER_SECOND = 4_000;

/** The most seconds `bytes` of audio in any format can last: what a file whose headers cannot be read is held as. */
export const mostAudioSeconds = (bytes: number): number => Math.ceil(bytes / OTHER_AUDIO_MIN_BYTES_PER_SECOND);

/** Tokens of an `input_audio` part: its base64 `data` decoded to bytes, at its format's lowest byte rate. */
export function audioTokens(base64Data: unknown, format: unknown): number {
  if (typeof base64Data !== 'string' || base64Data.length === 0) return 0;
  const padding = base64Data.endsWith('==') ? 2 : base64Data.endsWith('=') ? 1 : 0;
  const bytes = Math.floor((base64Data.length * 3) / 4) - padding;
  const perSecond =
    (typeof format === 'string' ? AUDIO_MIN_BYTES_PER_SECOND[format] : undefined) ?? OTHER_AUDIO_MIN_BYTES_PER_SECOND;
  return Math.ceil((bytes / perSecond) * AUDIO_TOKENS_PER_SECOND);
}

/**
 * An assistant message's `audio: {id}` sends an earlier spoken answer back to
 * the model, whose length the edge does not know: held as one minute of audio.
 */
export const AUDIO_REFERENCE_TOKENS = 60 * AUDIO_TOKENS_PER_SECOND;

/**
 * A `file` part (a PDF, inline as `file_data` or by `file_id`): OpenAI puts
 * each page's extracted text and an image of the page in the context, and
 * the edge cannot see the pages. Held as a few pages (text and page image):
 * a longer document is charged what the upstream reports, like any request
 * whose hold fell short.
 */
export const FILE_PART_TOKENS = 8_192;

/** A part of a type the edge does not know, without text: about a token per 4 characters of its JSON. */
export const UNKNOWN_PART_CHARS_PER_TOKEN = 4;
