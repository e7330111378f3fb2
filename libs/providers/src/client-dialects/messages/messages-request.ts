import { isJsonObject, type JsonObject } from '../../json.js';
import { invalidParam } from '../../adapters/anthropic/invalid-param.js';
import { chatMessages, systemMessage } from './messages-conversation.js';
import { TRANSLATED_FIELDS } from './messages-native-only.js';
import { reasoningEffort } from './messages-reasoning.js';
import { chatToolChoice, chatTools } from './messages-tools.js';

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

function numberField(body: JsonObject, key: string): number | undefined {
  const value = body[key];
  if (!isSet(value)) return undefined;
  if (typeof value !== 'number') throw invalidParam(key, `${key} must be a number`);
  return value;
}

function stopSequences(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidParam('stop_sequences', 'stop_sequences must be a list of strings');
  }
  return value;
}

function objectField(body: JsonObject, key: string): JsonObject | null {
  const value = body[key];
  if (!isSet(value)) return null;
  if (!isJsonObject(value)) throw invalidParam(key, `${key} must be an object`);
  return value;
}

/**
 * Structured output (`output_config.format`, or the beta's `output_format`):
 * Anthropic's JSON schema, with its guarantee that the answer matches, is
 * chat's strict `json_schema` response format.
 */
function responseFormat(format: unknown, param: string): JsonObject {
  if (!isJsonObject(format) || format.type !== 'json_schema') {
    throw invalidParam(`${param}.type`, `${param}.type must be json_schema`);
  }
  if (!isJsonObject(format.schema)) throw invalidParam(`${param}.schema`, `${param}.schema must be an object`);
  return { type: 'json_schema', json_schema: { name: 'output', schema: format.schema, strict: true } };
}

function endUser(metadata: JsonObject | null): string | null {
  if (!metadata || !isSet(metadata.user_id)) return null;
  if (typeof metadata.user_id !== 'string') throw invalidParam('metadata.user_id', 'metadata.user_id must be a string');
  return metadata.user_id;
}

/**
 * A Messages request as a chat-completions body. Everything Anthropic's
 * request means is carried over or refused naming the field; only hints
 * that change nothing about the answer are left behind (`service_tier`,
 * and `cache_control`: chat upstreams cache prompts on their own, or not). `top_k` has no
 * field in OpenAI's chat completions, but OpenAI-compatible servers that
 * sample by top-k (vLLM, llama.cpp) and the gemini adapter (`topK`) read it
 * as `top_k`, and OpenAI itself refuses it by name: it is passed on, since
 * dropping it would change the sampling the client asked for without a word.
 */
export function chatBodyOf(body: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(body)) {
    if (isSet(value) && !TRANSLATED_FIELDS.has(key)) {
      throw invalidParam(key, `${key} has no counterpart on chat channels`);
    }
  }
  const out: JsonObject = { model: body.model };
  const system = systemMessage(body.system);
  out.messages = system ? [system, ...chatMessages(body.messages)] : chatMessages(body.messages);

  if (isSet(body.max_tokens)) out.max_completion_tokens = body.max_tokens;
  if (isSet(body.stop_sequences)) {
    const stop = stopSequences(body.stop_sequences);
    if (stop.length > 0) out.stop = stop;
  }
  for (const key of ['temperature', 'top_p', 'top_k']) {
    const value = numberField(body, key);
    if (value !== undefined) out[key] = value;
  }

  const tools = isSet(body.tools) ? chatTools(body.tools) : [];
  if (tools.length > 0) out.tools = tools;
  if (isSet(body.tool_choice)) Object.assign(out, chatToolChoice(body.tool_choice, tools.length > 0));

  const outputConfig = objectField(body, 'output_config');
  const effort = reasoningEffort(body.thinking, outputConfig);
  if (effort !== null) out.reasoning_effort = effort;
  if (outputConfig && isSet(outputConfig.format)) {
    out.response_format = responseFormat(outputConfig.format, 'output_config.format');
  } else if (isSet(body.output_format)) {
    out.response_format = responseFormat(body.output_format, 'output_format');
  }

  const user = endUser(objectField(body, 'metadata'));
  if (user !== null) out.user = user;
  if (isSet(body.stream)) out.stream = body.stream;
  return out;
}
