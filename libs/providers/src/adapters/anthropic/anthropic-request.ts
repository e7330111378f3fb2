import { isJsonObject, type JsonObject } from '../../json.js';
import type { CanonicalRequest } from '../../provider-adapter.js';
import { anthropicConversation } from './anthropic-messages.js';
import { anthropicToolChoice, anthropicTools } from './anthropic-tools.js';
import { invalidParam } from './invalid-param.js';

/** Read by the translation below (or by the edge: `model` is the channel's, `stream` the request's). */
const TRANSLATED = new Set([
  'model',
  'messages',
  'stream',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'temperature',
  'top_p',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'user',
  'safety_identifier',
  'response_format',
  'reasoning_effort',
]);

/**
 * Hints that change nothing about the answer's content, so a request that
 * carries them is served without them: OpenAI's storage and dashboard
 * fields, its cache-routing key and service tier, a best-effort seed, and
 * the stream options (the usage chunk is always produced, and dropped
 * again if the client did not ask for it).
 */
const IGNORED = new Set(['stream_options', 'seed', 'service_tier', 'store', 'metadata', 'prompt_cache_key']);

/**
 * Parameters Anthropic has no counterpart for. Each is accepted at the value
 * that asks for nothing (OpenAI's default), and refused at any other.
 */
const WITHOUT_COUNTERPART: Record<string, { neutral: (value: unknown) => boolean; detail: string }> = {
  n: { neutral: (value) => value === 1, detail: 'anthropic channels generate one choice: n must be 1' },
  logprobs: { neutral: (value) => value === false, detail: 'anthropic channels return no log probabilities' },
  top_logprobs: { neutral: (value) => value === 0, detail: 'anthropic channels return no log probabilities' },
  logit_bias: {
    neutral: (value) => isJsonObject(value) && Object.keys(value).length === 0,
    detail: 'anthropic channels take no logit_bias',
  },
  presence_penalty: { neutral: (value) => value === 0, detail: 'anthropic channels have no presence_penalty' },
  frequency_penalty: { neutral: (value) => value === 0, detail: 'anthropic channels have no frequency_penalty' },
  modalities: {
    neutral: (value) => Array.isArray(value) && value.every((modality) => modality === 'text'),
    detail: 'anthropic channels answer in text only',
  },
  audio: { neutral: () => false, detail: 'anthropic channels answer in text only' },
  prediction: { neutral: () => false, detail: 'anthropic channels take no predicted output' },
};

/**
 * OpenAI's `reasoning_effort` as Anthropic's effort levels, for adaptive
 * thinking (the thinking mode of current Claude models: the model decides
 * how much to think, the effort steers it; `max_tokens` still caps thinking
 * and answer together). `none` asks for no thinking, Anthropic's default.
 */
const EFFORTS: Record<string, string | null> = {
  none: null,
  minimal: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'max',
};

/** Anthropic takes a temperature from 0 to 1; OpenAI's goes to 2. */
const MAX_TEMPERATURE = 1;

function checkParameter(key: string, value: unknown): void {
  if (value === null || value === undefined || TRANSLATED.has(key) || IGNORED.has(key)) return;
  const rule = WITHOUT_COUNTERPART[key];
  if (rule) {
    if (!rule.neutral(value)) throw invalidParam(key, rule.detail);
    return;
  }
  throw invalidParam(key, `${key} has no counterpart on anthropic channels`);
}

const isSet = (value: unknown): boolean => value !== null && value !== undefined;

function stopSequences(stop: unknown): string[] {
  if (typeof stop === 'string') return stop === '' ? [] : [stop];
  if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) return stop;
  throw invalidParam('stop', 'stop must be a string or a list of strings');
}

function outputFormat(format: unknown): JsonObject | null {
  if (!isJsonObject(format)) throw invalidParam('response_format', 'response_format must be an object');
  if (format.type === 'text') return null;
  if (format.type === 'json_schema') {
    const spec = format.json_schema;
    const schema = isJsonObject(spec) ? spec.schema : undefined;
    if (!isJsonObject(schema)) {
      throw invalidParam('response_format.json_schema.schema', 'response_format.json_schema.schema must be an object');
    }
    return { type: 'json_schema', schema };
  }
  if (format.type === 'json_object') {
    throw invalidParam(
      'response_format.type',
      "anthropic channels have no JSON mode without a schema: use { type: 'json_schema', json_schema: { schema } }",
    );
  }
  throw invalidParam('response_format.type', 'response_format.type must be text or json_schema');
}

function effortOf(effort: unknown): string | null {
  if (typeof effort === 'string' && effort in EFFORTS) return EFFORTS[effort];
  throw invalidParam('reasoning_effort', `reasoning_effort must be one of ${Object.keys(EFFORTS).join(', ')}`);
}

function endUser(body: JsonObject): string | null {
  // OpenAI's safety_identifier replaces its user field; both name the end user.
  for (const key of ['safety_identifier', 'user']) {
    const value = body[key];
    if (!isSet(value)) continue;
    if (typeof value !== 'string') throw invalidParam(key, `${key} must be a string`);
    return value;
  }
  return null;
}

/**
 * The Messages API body for a chat completion in OpenAI form. Refuses,
 * naming it, a parameter that has no counterpart (unless it asks for
 * nothing), so a request is never served with part of it silently dropped.
 */
export function anthropicMessagesBody(request: CanonicalRequest): JsonObject {
  const body = request.body;
  for (const [key, value] of Object.entries(body)) checkParameter(key, value);
  if (!Array.isArray(body.messages)) throw invalidParam('messages', 'messages must be a non-empty array');
  const { system, messages } = anthropicConversation(body.messages as JsonObject[]);

  const out: JsonObject = { model: request.upstreamModel };
  if (system.length > 0) out.system = system;
  out.messages = messages;
  // Anthropic requires a cap: the client's, else the one the edge held for.
  out.max_tokens = body.max_completion_tokens ?? body.max_tokens ?? request.defaultMaxTokens;

  if (isSet(body.stop)) {
    const sequences = stopSequences(body.stop);
    if (sequences.length > 0) out.stop_sequences = sequences;
  }
  // Clamped rather than refused: above 1 OpenAI asks for more randomness than Anthropic offers, and 1 is its most.
  if (typeof body.temperature === 'number') out.temperature = Math.min(body.temperature, MAX_TEMPERATURE);
  if (typeof body.top_p === 'number') out.top_p = body.top_p;

  const tools = Array.isArray(body.tools) && body.tools.length > 0 ? anthropicTools(body.tools as unknown[]) : null;
  if (tools) out.tools = tools;
  const toolChoice = anthropicToolChoice(body, tools !== null);
  if (toolChoice) out.tool_choice = toolChoice;

  const outputConfig: JsonObject = {};
  if (isSet(body.response_format)) {
    const format = outputFormat(body.response_format);
    if (format) outputConfig.format = format;
  }
  if (isSet(body.reasoning_effort)) {
    const effort = effortOf(body.reasoning_effort);
    if (effort) {
      out.thinking = { type: 'adaptive' };
      outputConfig.effort = effort;
    }
  }
  if (Object.keys(outputConfig).length > 0) out.output_config = outputConfig;

  const user = endUser(body);
  if (user !== null) out.metadata = { user_id: user };
  if (request.stream) out.stream = true;
  return out;
}
