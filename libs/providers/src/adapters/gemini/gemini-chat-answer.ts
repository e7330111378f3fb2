import type { JsonObject } from '../../json.js';
import type { CanonicalRequest } from '../../provider-adapter.js';
import {
  candidateOutput,
  candidatesOf,
  completionId,
  finishReasonOf,
  promptBlocked,
  usageOf,
} from './gemini-candidate.js';

function choiceOf(candidate: JsonObject, position: number): JsonObject {
  const { text, toolCalls } = candidateOutput(candidate);
  const message: JsonObject = {
    role: 'assistant',
    // OpenAI's shape: null beside tool calls that came without text.
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    index: typeof candidate.index === 'number' ? candidate.index : position,
    message,
    logprobs: null,
    finish_reason: finishReasonOf(candidate.finishReason, toolCalls.length > 0),
  };
}

/**
 * A GenerateContentResponse as a `chat.completion`: one choice per
 * candidate. A blocked prompt (no candidates, `promptFeedback.blockReason`)
 * is one empty choice that finished with `content_filter` — the answer
 * OpenAI gives for filtered output — with the prompt's usage, which Gemini
 * reports for it.
 */
export function geminiChatAnswer(request: CanonicalRequest, json: JsonObject): JsonObject {
  const candidates = candidatesOf(json);
  const choices =
    candidates.length > 0
      ? candidates.map(choiceOf)
      : [
          {
            index: 0,
            message: { role: 'assistant', content: '', refusal: null },
            logprobs: null,
            finish_reason: promptBlocked(json) ? 'content_filter' : 'stop',
          },
        ];
  const answer: JsonObject = {
    id: completionId(json),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.upstreamModel,
    choices,
  };
  const usage = usageOf(json.usageMetadata);
  if (usage) answer.usage = usage;
  return answer;
}
