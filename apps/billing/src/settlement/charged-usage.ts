import type { SettledUsage, Usage } from '@tollgate/contracts';

/** The usage a settlement is charged and recorded for, and what had to be corrected to get it. */
export interface ChargedUsage {
  usage: Usage;
  /** One sentence per part that was more than its whole; empty when the upstream's counts agreed. */
  corrections: string[];
}

/**
 * A settlement's usage as billing charges it. A token part (or the audio
 * seconds) an older edge did not send is 0. Parts that add up to more than their whole (cached and
 * cache-write tokens beyond the input tokens, reasoning beyond the output)
 * are clamped to it, cached tokens first, rather than the settlement being
 * refused: the request was served, and a refused settlement would leave its
 * hold to expire at the whole held amount. The totals are what the client
 * was shown (`prompt_tokens`, `completion_tokens`) and are never changed;
 * clamping a part only decides at which of the model's prices those tokens
 * are charged, so the charge stays within what the totals can cost.
 */
export function chargedUsage(settled: SettledUsage): ChargedUsage {
  const { inputTokens, outputTokens } = settled;
  const reported = {
    cachedInputTokens: settled.cachedInputTokens ?? 0,
    cacheWriteTokens: settled.cacheWriteTokens ?? 0,
    reasoningTokens: settled.reasoningTokens ?? 0,
  };
  const cachedInputTokens = Math.min(reported.cachedInputTokens, inputTokens);
  const cacheWriteTokens = Math.min(reported.cacheWriteTokens, inputTokens - cachedInputTokens);
  const reasoningTokens = Math.min(reported.reasoningTokens, outputTokens);
  const corrections: string[] = [];
  if (cachedInputTokens + cacheWriteTokens < reported.cachedInputTokens + reported.cacheWriteTokens) {
    corrections.push(
      `${reported.cachedInputTokens} cached + ${reported.cacheWriteTokens} cache-write tokens exceed ${inputTokens} ` +
        `input tokens: charged as ${cachedInputTokens} + ${cacheWriteTokens}`,
    );
  }
  if (reasoningTokens < reported.reasoningTokens) {
    corrections.push(
      `${reported.reasoningTokens} reasoning tokens exceed ${outputTokens} output tokens: charged as ${reasoningTokens}`,
    );
  }
  return {
    usage: {
      inputTokens,
      outputTokens,
      cachedInputTokens,
      cacheWriteTokens,
      reasoningTokens,
      images: settled.images,
      characters: settled.characters,
      // An edge from before audio pricing sends none: it never relays audio.
      audioSeconds: settled.audioSeconds ?? 0,
    },
    corrections,
  };
}
