import { randomBytes } from 'node:crypto';
import { isJsonObject, type JsonObject } from '../../json.js';

/** What a candidate's parts say, in OpenAI's terms. */
export interface CandidateOutput {
  /** The text parts joined; thought summaries (`thought: true`) are left out. */
  text: string;
  /** Function calls as OpenAI tool calls (without their stream index). */
  toolCalls: JsonObject[];
}

/** Finish reasons that mean a filter stopped the candidate. */
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/** A tool call id in OpenAI's style: Gemini's calls carry none (or an id of their own, used when present). */
export const newToolCallId = (): string => `call_${randomBytes(12).toString('base64url')}`;

export const completionId = (json: JsonObject): string =>
  `chatcmpl-${typeof json.responseId === 'string' && json.responseId !== '' ? json.responseId : randomBytes(12).toString('base64url')}`;

export const candidatesOf = (json: JsonObject): JsonObject[] =>
  Array.isArray(json.candidates) ? json.candidates.filter(isJsonObject) : [];

export function candidateOutput(candidate: JsonObject): CandidateOutput {
  const content = candidate.content;
  const parts = isJsonObject(content) && Array.isArray(content.parts) ? content.parts.filter(isJsonObject) : [];
  let text = '';
  const toolCalls: JsonObject[] = [];
  for (const part of parts) {
    if (part.thought === true) continue;
    if (typeof part.text === 'string') text += part.text;
    const call = part.functionCall;
    if (isJsonObject(call) && typeof call.name === 'string') {
      const toolCall: JsonObject = {
        id: typeof call.id === 'string' && call.id !== '' ? call.id : newToolCallId(),
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(isJsonObject(call.args) ? call.args : {}) },
      };
      // Gemini 3 wants the signature back with the call; Google's OpenAI-compatible API carries it here.
      if (typeof part.thoughtSignature === 'string') {
        toolCall.extra_content = { google: { thought_signature: part.thoughtSignature } };
      }
      toolCalls.push(toolCall);
    }
  }
  return { text, toolCalls };
}

/**
 * Gemini's finish reason in OpenAI's words: MAX_TOKENS is `length`, the
 * safety and recitation filters are `content_filter`, and everything else
 * (STOP, OTHER, LANGUAGE, a malformed function call…) ends the choice as
 * `stop` — or `tool_calls` when the candidate called functions.
 */
export function finishReasonOf(reason: unknown, madeCalls: boolean): string {
  if (reason === 'MAX_TOKENS') return 'length';
  if (typeof reason === 'string' && FILTERED.has(reason)) return 'content_filter';
  return madeCalls ? 'tool_calls' : 'stop';
}

const count = (meta: JsonObject, field: string): number => {
  const value = meta[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
};

/**
 * `usageMetadata` as OpenAI's usage. Input is the prompt (cached content
 * included, Gemini counts it in promptTokenCount) plus the tool-use prompt
 * (what Gemini's own tools fed back); output is the candidates plus the
 * thoughts, which Gemini counts apart. Gemini's caching has no write
 * charge. Proto3 JSON leaves zero counts out, so a missing count is 0.
 * Null when the answer has no usageMetadata: the edge then counts itself.
 */
export function usageOf(meta: unknown): JsonObject | null {
  if (!isJsonObject(meta)) return null;
  const prompt = count(meta, 'promptTokenCount') + count(meta, 'toolUsePromptTokenCount');
  const reasoning = count(meta, 'thoughtsTokenCount');
  const completion = count(meta, 'candidatesTokenCount') + reasoning;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: count(meta, 'cachedContentTokenCount'), cache_write_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}

/** A prompt Gemini refused to answer: no candidates, and a `promptFeedback.blockReason`. */
export const promptBlocked = (json: JsonObject): boolean =>
  isJsonObject(json.promptFeedback) && typeof json.promptFeedback.blockReason === 'string';
