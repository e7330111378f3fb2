/**
 * A human name for a model id, as Anthropic's `display_name` and Gemini's `displayName` give:
 * "claude-sonnet-4-5-20250929" → "Claude Sonnet 4.5", "gemini-2.5-flash" → "Gemini 2.5 Flash".
 * A trailing date goes; consecutive version numbers join with dots.
 */
export function modelDisplayName(id: string): string {
  const words: string[] = [];
  for (const part of id.replace(/-\d{8}$/, '').split('-')) {
    const previous = words.at(-1);
    if (/^\d+$/.test(part) && previous !== undefined && /\d$/.test(previous)) {
      words[words.length - 1] = `${previous}.${part}`;
    } else {
      words.push(part.charAt(0).toUpperCase() + part.slice(1));
    }
  }
  return words.join(' ');
}
