import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GptEncoding } from 'gpt-tokenizer/GptEncoding';
import { tryConvertToString } from 'gpt-tokenizer/utfUtil';

/** A BPE rank's token: its text when its bytes are valid UTF-8, else the bytes (gpt-tokenizer's own convention). */
type RankedToken = string | number[];

/**
 * The o200k_base encoding (current OpenAI models), built from the rank file
 * gpt-tokenizer ships for it (`data/o200k_base.tiktoken`: base64 token and
 * rank per line), the way the library's code generator builds its bundled
 * module. The bundled module is a 2.4 MB JavaScript array literal, and
 * compiling it leaves the edge about 12 MB more resident memory than
 * reading the same ranks from this file; the encoder is the library's.
 */
export function loadO200kTokenizer(): GptEncoding {
  const file = createRequire(import.meta.url).resolve('gpt-tokenizer/data/o200k_base.tiktoken');
  const text = readFileSync(file, 'latin1');
  const ranks: RankedToken[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const space = text.indexOf(' ', lineStart);
    if (space > lineStart && space < lineEnd) {
      const bytes = Buffer.from(text.slice(lineStart, space), 'base64');
      ranks[Number(text.slice(space + 1, lineEnd))] = tryConvertToString(bytes) ?? [...bytes];
    }
    lineStart = lineEnd + 1;
  }
  if (ranks.length < 199_998) throw new Error(`${file} holds ${ranks.length} ranks; o200k_base has 199,998`);
  return GptEncoding.getEncodingApi('o200k_base', () => ranks);
}
