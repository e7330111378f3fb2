import { imageTokens } from './input-allowances.js';
import { loadO200kTokenizer } from './o200k-tokenizer.js';

const tokenizer = loadO200kTokenizer();

/**
 * Special tokens in user text are counted as ordinary text: the tokenizer's
 * default refuses them with an exception, which would turn a prompt that
 * merely mentions "<|endoftext|>" into a 500.
 */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Tokens of a text with a real BPE tokenizer: o200k_base, the encoding of current OpenAI models. */
export function countText(text: string): number {
  return text.length === 0 ? 0 : tokenizer.countTokens(text, AS_PLAIN_TEXT);
}

/** Tokens of a value that should be text; anything else counts nothing. */
export const countIfText = (value: unknown): number => (typeof value === 'string' ? countText(value) : 0);

/**
 * The input tokens of one request as the edge estimates them, in two parts:
 * what it counted with the tokenizer (format overheads included), and what
 * it held at a stated allowance because it cannot count it (images, audio,
 * files; see input-allowances.ts). The learned ratio between the upstream's
 * count and the edge's is measured on requests of counted tokens only, so an
 * allowance that overshoots cannot teach it to hold less for text.
 */
export class InputCount {
  counted = 0;
  allowed = 0;

  get total(): number {
    return this.counted + this.allowed;
  }
}

/**
 * `prompt` (completions) or `input` (embeddings, moderations): a string, an
 * array of strings, a token array (one token per number), an array of token
 * arrays, or multimodal parts (moderations: `text` counts, an `image_url`
 * holds the image allowance for its detail).
 */
export function countPromptInput(input: unknown, into: InputCount): void {
  if (typeof input === 'string') into.counted += countText(input);
  else if (typeof input === 'number') into.counted += 1;
  else if (Array.isArray(input)) for (const item of input as unknown[]) countPromptInput(item, into);
  else if (input && typeof input === 'object') {
    const part = input as { type?: unknown; text?: unknown; image_url?: unknown };
    if (typeof part.text === 'string') into.counted += countText(part.text);
    else if (part.type === 'image_url') into.allowed += imageTokens(detailOf(part.image_url));
  }
}

/** `image_url` is `{url, detail}` in OpenAI's format; a bare URL string has no detail (held as high). */
export function detailOf(imageUrl: unknown): unknown {
  return imageUrl && typeof imageUrl === 'object' ? (imageUrl as { detail?: unknown }).detail : undefined;
}
