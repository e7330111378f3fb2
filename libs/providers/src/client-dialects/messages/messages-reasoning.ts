import { isJsonObject, type JsonObject } from '../../json.js';
import { invalidParam } from '../../adapters/anthropic/invalid-param.js';

/** Anthropic's smallest thinking budget; it refuses a smaller one, and so does this translation. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * Thinking budgets as chat's `reasoning_effort`, by LiteLLM's thresholds
 * (`DEFAULT_REASONING_EFFORT_{LOW,MEDIUM,HIGH}_THINKING_BUDGET` = 1024,
 * 2048, 4096), the mapping Anthropic-to-OpenAI gateways share: a budget of
 * at least 4096 tokens is `high`, at least 2048 `medium`, else `low`. Claude
 * Code's budgets (4000 "think", 10000 "think hard", 31999 "ultrathink")
 * thus read as medium, high and high.
 */
export const EFFORT_BY_BUDGET: ReadonlyArray<{ minBudget: number; effort: string }> = [
  { minBudget: 4096, effort: 'high' },
  { minBudget: 2048, effort: 'medium' },
  { minBudget: MIN_THINKING_BUDGET, effort: 'low' },
];

/** Anthropic's `output_config.effort` levels as chat's; its `max` is OpenAI's `xhigh` (the reverse of the anthropic adapter). */
const EFFORT_LEVELS: Record<string, string> = { low: 'low', medium: 'medium', high: 'high', max: 'xhigh' };

function effortOfBudget(budget: unknown): string {
  if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < MIN_THINKING_BUDGET) {
    throw invalidParam(
      'thinking.budget_tokens',
      `thinking.budget_tokens must be an integer of at least ${MIN_THINKING_BUDGET}`,
    );
  }
  return (EFFORT_BY_BUDGET.find((row) => budget >= row.minBudget) as { effort: string }).effort;
}

function effortLevel(effort: unknown): string {
  if (typeof effort === 'string' && effort in EFFORT_LEVELS) return EFFORT_LEVELS[effort];
  throw invalidParam('output_config.effort', 'output_config.effort must be low, medium, high or max');
}

/**
 * `thinking` and `output_config.effort` as `reasoning_effort`, or null when
 * they leave it to the model: thinking disabled, or adaptive thinking (the
 * model decides how much to think) without an effort. An effort is the
 * client's own level, so it wins over the one read from a budget.
 */
export function reasoningEffort(thinking: unknown, outputConfig: JsonObject | null): string | null {
  if (outputConfig && outputConfig.effort !== undefined && outputConfig.effort !== null) {
    return effortLevel(outputConfig.effort);
  }
  if (thinking === undefined || thinking === null) return null;
  if (!isJsonObject(thinking)) throw invalidParam('thinking', 'thinking must be an object');
  switch (thinking.type) {
    case 'enabled':
      return effortOfBudget(thinking.budget_tokens);
    case 'disabled':
    case 'adaptive':
      return null;
    default:
      throw invalidParam('thinking.type', 'thinking.type must be enabled, disabled or adaptive');
  }
}

/** Whether the client asked to see thinking: only then does the answer carry thinking blocks. */
export function thinkingRequested(request: JsonObject): boolean {
  const thinking = request.thinking;
  return isJsonObject(thinking) && (thinking.type === 'enabled' || thinking.type === 'adaptive');
}
