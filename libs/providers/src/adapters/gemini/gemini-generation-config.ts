import { isJsonObject, type JsonObject } from '../../json.js';
import { refuse } from './gemini-refusal.js';
import { geminiSchema } from './gemini-schema.js';

/**
 * `reasoning_effort` as a thinking budget in tokens: Google's own mapping for
 * its OpenAI-compatible API (none 0, low 1 024, medium 8 192, high 24 576);
 * minimal is the smallest budget every 2.5 model accepts. A budget rather
 * than Gemini 3's `thinkingLevel`, because every thinking model takes one.
 * A model that cannot stop thinking refuses `none` itself.
 */
export const THINKING_BUDGETS: ReadonlyMap<string, number> = new Map([
  ['none', 0],
  ['minimal', 512],
  ['low', 1024],
  ['medium', 8192],
  ['high', 24576],
]);

const present = (value: unknown): boolean => value !== undefined && value !== null;

function stopSequences(stop: unknown): string[] {
  if (typeof stop === 'string') return [stop];
  if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) return stop;
  throw refuse('stop', 'stop must be a string or an array of strings');
}

function integer(body: JsonObject, field: string, minimum: number): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw refuse(field, `${field} must be an integer of at least ${minimum}`);
  }
  return value;
}

/** `response_format` as Gemini's JSON mode: a MIME type, and the schema when the client gave one. */
function responseFormat(format: unknown, config: JsonObject): void {
  if (!isJsonObject(format)) throw refuse('response_format', 'response_format must be an object');
  switch (format.type) {
    case 'text':
      return;
    case 'json_object':
      config.responseMimeType = 'application/json';
      return;
    case 'json_schema': {
      const spec = format.json_schema;
      if (!isJsonObject(spec)) {
        throw refuse('response_format.json_schema', 'response_format.json_schema must be an object');
      }
      config.responseMimeType = 'application/json';
      // `name` and `strict` are OpenAI's bookkeeping; Gemini always holds to a responseSchema.
      if (present(spec.schema)) {
        config.responseSchema = geminiSchema(spec.schema, 'response_format.json_schema.schema', {
          orderProperties: true,
        });
      }
      return;
    }
    default:
      throw refuse('response_format.type', 'response_format.type must be text, json_object or json_schema');
  }
}

/** Gemini's `generationConfig` for a chat request; null when the client set nothing it holds. */
export function generationConfig(body: JsonObject): JsonObject | null {
  const config: JsonObject = {};
  if (present(body.temperature)) config.temperature = body.temperature;
  if (present(body.top_p)) config.topP = body.top_p;
  if (present(body.top_k)) config.topK = integer(body, 'top_k', 1);
  if (present(body.presence_penalty)) config.presencePenalty = body.presence_penalty;
  if (present(body.frequency_penalty)) config.frequencyPenalty = body.frequency_penalty;
  if (present(body.seed)) config.seed = integer(body, 'seed', Number.MIN_SAFE_INTEGER);
  if (present(body.n)) config.candidateCount = body.n;
  const maxTokens = present(body.max_completion_tokens) ? body.max_completion_tokens : body.max_tokens;
  if (present(maxTokens)) config.maxOutputTokens = maxTokens;
  if (present(body.stop)) config.stopSequences = stopSequences(body.stop);
  if (present(body.response_format)) responseFormat(body.response_format, config);
  if (present(body.reasoning_effort)) {
    const effort = body.reasoning_effort;
    const budget = typeof effort === 'string' ? THINKING_BUDGETS.get(effort) : undefined;
    if (budget === undefined) {
      throw refuse('reasoning_effort', `reasoning_effort must be one of ${[...THINKING_BUDGETS.keys()].join(', ')}`);
    }
    config.thinkingConfig = { thinkingBudget: budget };
  }
  return Object.keys(config).length > 0 ? config : null;
}
