/**
 * Characters as OpenAI counts them (Unicode code points, not UTF-16 units).
 * Whether `text` is longer than `max`, without walking strings that are
 * short enough by their UTF-16 length already (the usual case).
 */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}

export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
