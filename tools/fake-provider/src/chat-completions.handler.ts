/**
 * `POST /v1/chat/completions` (and Azure's deployment route): a `chat.completion` object, or
 * `chat.completion.chunk` events when streaming. With `tools` offered (and `tool_choice` not "none", and the
 * last message not a tool result) the answer is one call to the first function tool — or the one
 * `tool_choice` names — with finish_reason `tool_calls`, its arguments streamed in several deltas.
 */
import { includeUsageRequested, requiredString } from './body-params.js';
import { fakeTokenCounts, openAIUsage, outputLimit, type FakeTokenCounts } from './fake-usage.js';
import { sendJson } from './http-io.js';
import { isRecord } from './json-guards.js';
import type { OfferedTool } from './fake-tool-call.js';
import { planReply, type ReplyRequest, type ToolChoice } from './fake-reply.js';
import { invalidRequest, missingParameter, streamErrorObject } from './openai-error.js';
import type { FakeRequestContext } from './request-context.js';
import { SSE_CONTENT_TYPE, SSE_DONE, sseData, writeStream } from './sse-stream.js';

const SYSTEM_FINGERPRINT = 'fp_fake';

// The real API always includes the detail blocks; billing code may read `cached_tokens`, so they are present.
// Shared constants for the common all-zero case: rebuilding them per request showed up in the benchmark profile.
const PROMPT_TOKENS_DETAILS = Object.freeze({ cached_tokens: 0, audio_tokens: 0 });
const COMPLETION_TOKENS_DETAILS = Object.freeze({
  reasoning_tokens: 0,
  audio_tokens: 0,
  accepted_prediction_tokens: 0,
  rejected_prediction_tokens: 0,
});

function chatUsage(counts: FakeTokenCounts): Record<string, unknown> {
  return {
    ...openAIUsage(counts),
    prompt_tokens_details:
      counts.cacheRead === 0 ? PROMPT_TOKENS_DETAILS : { ...PROMPT_TOKENS_DETAILS, cached_tokens: counts.cacheRead },
    completion_tokens_details:
      counts.reasoning === 0
        ? COMPLETION_TOKENS_DETAILS
        : { ...COMPLETION_TOKENS_DETAILS, reasoning_tokens: counts.reasoning },
  };
}

/** `tools: [{type: "function", function: {name, parameters}}]`; other tool types are not callable here. */
function offeredTools(tools: unknown): OfferedTool[] {
  if (!Array.isArray(tools)) return [];
  const offered: OfferedTool[] = [];
  for (const tool of tools) {
    if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) continue;
    if (typeof tool.function.name === 'string') {
      offered.push({ name: tool.function.name, schema: tool.function.parameters });
    }
  }
  return offered;
}

/** `"none"` forbids, `{type: "function", function: {name}}` forces one; "auto", "required" or absent: the first. */
function toolChoice(choice: unknown): ToolChoice {
  if (choice === 'none') return { mode: 'none' };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { mode: 'named', name: choice.function.name };
  }
  return { mode: 'auto' };
}

function replyRequest(body: Readonly<Record<string, unknown>>, messages: readonly unknown[]): ReplyRequest {
  const last = messages.at(-1);
  return {
    tools: offeredTools(body.tools),
    toolChoice: toolChoice(body.tool_choice),
    afterToolResult: isRecord(last) && (last.role === 'tool' || last.role === 'function'),
    outputLimit: outputLimit(body),
  };
}

export async function handleChatCompletions(ctx: FakeRequestContext): Promise<void> {
  const { body, controls } = ctx;
  const model = requiredString(body, 'model');
  if (body.messages === undefined || body.messages === null) throw missingParameter('messages');
  if (!Array.isArray(body.messages))
    throw invalidRequest("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');

  const reply = planReply(replyRequest(body, body.messages), controls);
  const finishReason = reply.kind === 'tool_call' ? 'tool_calls' : reply.finish === 'length' ? 'length' : 'stop';
  const usage = controls.omitUsage ? undefined : chatUsage(fakeTokenCounts(body, reply.pieces.length, controls));
  const id = `chatcmpl-fake-${ctx.seq}`;
  const callId = `call_fake_${ctx.seq}`;
  const created = Math.floor(Date.now() / 1000);

  if (body.stream !== true) {
    const message =
      reply.kind === 'text'
        ? { role: 'assistant', content: reply.text, refusal: null, annotations: [] }
        : {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: callId, type: 'function', function: { name: reply.name, arguments: reply.arguments } }],
            refusal: null,
            annotations: [],
          };
    const completion = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      usage,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
    sendJson(ctx.res, 200, JSON.stringify(completion));
    return;
  }

  // OpenAI semantics: with include_usage every chunk carries `usage: null` and one extra chunk with
  // `choices: []` carries the totals; without it no chunk has a usage field at all.
  const withUsage = includeUsageRequested(body) && usage !== undefined;
  const chunk = (choices: unknown[], chunkUsage: unknown = null): string =>
    sseData(
      JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        service_tier: 'default',
        system_fingerprint: SYSTEM_FINGERPRINT,
        choices,
        ...(withUsage ? { usage: chunkUsage } : {}),
      }),
    );
  const choice = (delta: Record<string, unknown>, finish: string | null): unknown => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finish,
  });

  let head: string | undefined;
  let content: string[];
  let finishDelta: Record<string, unknown> = {};
  if (reply.kind === 'tool_call') {
    // As OpenAI does: the opening delta names the call with empty arguments, the arguments follow in pieces.
    const opening = { index: 0, id: callId, type: 'function', function: { name: reply.name, arguments: '' } };
    head = chunk([choice({ role: 'assistant', content: null, tool_calls: [opening], refusal: null }, null)]);
    content = reply.pieces.map((piece) =>
      chunk([choice({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null)]),
    );
  } else {
    // The role rides on the first content chunk, so `chunks: N` means exactly N content chunks on the wire.
    content = reply.pieces.map((piece, i) =>
      chunk([choice(i === 0 ? { role: 'assistant', content: piece } : { content: piece }, null)]),
    );
    if (content.length === 0) finishDelta = { role: 'assistant', content: '' };
  }
  let tail = chunk([choice(finishDelta, finishReason)]);
  if (withUsage) tail += chunk([], usage);
  await writeStream(
    ctx.res,
    {
      contentType: SSE_CONTENT_TYPE,
      head,
      content,
      tail: tail + SSE_DONE,
      inBandError: sseData(JSON.stringify({ error: streamErrorObject(controls.errorCode) })),
    },
    controls,
    ctx.signal,
  );
}
