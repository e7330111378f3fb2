/**
 * The deterministic answer text. It is the words of "This is a fake answer." repeated as often as needed, cut
 * to the requested number of words: 5 words gives exactly "This is a fake answer.", 7 gives
 * "This is a fake answer. This is". Streams send one word per content chunk — the first piece bare, the
 * others with their leading space — so concatenating the streamed pieces yields exactly the JSON answer.
 */

const WORDS = ['This', 'is', 'a', 'fake', 'answer.'] as const;

export interface FakeAnswer {
  /** One entry per word / content chunk. */
  readonly pieces: readonly string[];
  readonly text: string;
}

// Answers are rebuilt on every request otherwise; callers use a handful of distinct sizes, so a small cache
// (cleared wholesale when someone cycles through many sizes) removes that work from the hot path.
const cache = new Map<number, FakeAnswer>();
const CACHE_LIMIT = 256;

export function fakeAnswer(words: number): FakeAnswer {
  const cached = cache.get(words);
  if (cached) return cached;
  const pieces: string[] = [];
  for (let i = 0; i < words; i++) {
    const word = WORDS[i % WORDS.length];
    pieces.push(i === 0 ? word : ` ${word}`);
  }
  const answer: FakeAnswer = Object.freeze({ pieces: Object.freeze(pieces), text: pieces.join('') });
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(words, answer);
  return answer;
}
