import { loadO200kTokenizer } from './o200k-tokenizer.js';

const tokenizer = loadO200kTokenizer();

/** Tokens OpenAI's chat format adds around each message (role, separators). */
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REPLY = 3;

/**
 * Special tokens in user text are counted as ordinary text: the tokenizer's
 * default refuses them with an exception, which would turn a prompt that
 * merely mentions "<|endoftext|>" into a 500.
 */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Counts the text of a chat message's content: a string or an array of parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return (content as unknown[])
      .map((part) => {
        const text = part && typeof part === 'object' ? (part as { text?: unknown }).text : undefined;
        return typeof text === 'string' ? text : '';
      })
      .join('');
  }
  return '';
}

/**
 * Input tokens of a chat request, counted with a real BPE tokenizer
 * (o200k_base, the encoding of current OpenAI models). An estimate for the
 * hold, not the bill: the charge uses the upstream's reported usage.
 */
export function countChatTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let total = TOKENS_PER_REPLY;
  for (const message of messages) {
    if (!message || typeof message !== 'object') continue;
    total += TOKENS_PER_MESSAGE;
    const m = message as Record<string, unknown>;
    total += countText(contentText(m.content));
    if (typeof m.name === 'string') total += countText(m.name);
  }
  return total;
}

/**
 * Tokens of a `prompt` (completions) or `input` (embeddings, moderations):
 * a string, an array of strings, a token array (one token per number), an
 * array of token arrays, or multimodal parts (their `text` counts).
 */
export function countInputTokens(input: unknown): number {
  if (typeof input === 'string') return countText(input);
  if (typeof input === 'number') return 1;
  if (Array.isArray(input)) {
    let total = 0;
    for (const item of input as unknown[]) total += countInputTokens(item);
    return total;
  }
  if (input && typeof input === 'object') {
    const text = (input as { text?: unknown }).text;
    return typeof text === 'string' ? countText(text) : 0;
  }
  return 0;
}

export function countText(text: string): number {
  return text.length === 0 ? 0 : tokenizer.countTokens(text, AS_PLAIN_TEXT);
}
