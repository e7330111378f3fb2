/**
 * `POST /v1/messages`, Anthropic's Messages API: a `message` object, or when streaming the documented event
 * sequence — message_start (with the input usage), content_block_start, ping, content_block_delta
 * (`text_delta` words, or `input_json_delta` pieces for a tool_use block), content_block_stop, message_delta
 * (stop_reason and the final output_tokens), message_stop. Usage follows Anthropic's rule that
 * `input_tokens` excludes cache reads and cache writes, which are reported beside it. A request that enables
 * thinking gets a thinking block before the answer (see anthropic-thinking.ts).
 */
import { anthropicInvalidRequest, anthropicStreamError } from './anthropic-error.js';
import { planReply, type FakeReply, type ReplyRequest, type ToolChoice } from './fake-reply.js';
import type { OfferedTool } from './fake-tool-call.js';
import { fakeTokenCounts, type FakeTokenCounts } from './fake-usage.js';
import { sendJson } from './http-io.js';
import { isRecord } from './json-guards.js';
import type { FakeRequestContext } from './request-context.js';
import { SSE_CONTENT_TYPE, sseEvent, writeStream } from './sse-stream.js';
import { thinkingBlock, thinkingEnabled, thinkingEvents, thinkingPieces } from './anthropic-thinking.js';

type Body = Readonly<Record<string, unknown>>;

/** Anthropic's validation wording: `<field>: <problem>`. */
export function requireModel(body: Body): string {
  if (body.model === undefined || body.model === null) throw anthropicInvalidRequest('model: Field required');
  if (typeof body.model !== 'string') throw anthropicInvalidRequest('model: Input should be a valid string');
  return body.model;
}

export function requireMessages(body: Body): unknown[] {
  if (body.messages === undefined || body.messages === null) throw anthropicInvalidRequest('messages: Field required');
  if (!Array.isArray(body.messages)) throw anthropicInvalidRequest('messages: Input should be a valid list');
  return body.messages;
}

function requireMaxTokens(body: Body): number {
  const value = body.max_tokens;
  if (value === undefined || value === null) throw anthropicInvalidRequest('max_tokens: Field required');
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw anthropicInvalidRequest('max_tokens: Input should be a valid integer');
  if (value < 1) throw anthropicInvalidRequest('max_tokens: Input should be greater than or equal to 1');
  return value;
}

/** Custom tools only (no `type`, or `"custom"`): server tools like web_search are run by Anthropic, not called. */
function offeredTools(tools: unknown): OfferedTool[] {
  if (!Array.isArray(tools)) return [];
  const offered: OfferedTool[] = [];
  for (const tool of tools) {
    if (!isRecord(tool) || typeof tool.name !== 'string') continue;
    if (tool.type === undefined || tool.type === null || tool.type === 'custom') {
      offered.push({ name: tool.name, schema: tool.input_schema });
    }
  }
  return offered;
}

function toolChoice(choice: unknown): ToolChoice {
  if (!isRecord(choice)) return { mode: 'auto' };
  if (choice.type === 'none') return { mode: 'none' };
  if (choice.type === 'tool' && typeof choice.name === 'string') return { mode: 'named', name: choice.name };
  return { mode: 'auto' };
}

/** Tool results come back as `tool_result` blocks in a user message. */
function endsWithToolResult(messages: readonly unknown[]): boolean {
  const last = messages.at(-1);
  return (
    isRecord(last) &&
    last.role === 'user' &&
    Array.isArray(last.content) &&
    last.content.some((block) => isRecord(block) && block.type === 'tool_result')
  );
}

function stopSequences(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

export function anthropicUsage(counts: FakeTokenCounts, outputTokens: number = counts.output): Record<string, unknown> {
  return {
    input_tokens: counts.input - counts.cacheRead - counts.cacheWrite,
    cache_creation_input_tokens: counts.cacheWrite,
    cache_read_input_tokens: counts.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: counts.cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function stopReason(reply: FakeReply): string {
  if (reply.kind === 'tool_call') return 'tool_use';
  return reply.finish === 'length' ? 'max_tokens' : reply.finish === 'stop_sequence' ? 'stop_sequence' : 'end_turn';
}

export async function handleAnthropicMessages(ctx: FakeRequestContext): Promise<void> {
  const { body, controls } = ctx;
  const model = requireModel(body);
  const messages = requireMessages(body);
  const maxTokens = requireMaxTokens(body);
  const thinks = thinkingEnabled(body, maxTokens);
  const request: ReplyRequest = {
    tools: offeredTools(body.tools),
    toolChoice: toolChoice(body.tool_choice),
    afterToolResult: endsWithToolResult(messages),
    outputLimit: maxTokens,
    stopSequences: stopSequences(body.stop_sequences),
  };
  const reply = planReply(request, controls);
  // The thinking's words are output too, as Anthropic bills them.
  const outputLength = reply.pieces.length + (thinks ? thinkingPieces().length : 0);
  const counts = controls.omitUsage ? undefined : fakeTokenCounts(body, outputLength, controls);
  // With thinking, the answer is the second block.
  const answerIndex = thinks ? 1 : 0;
  const id = `msg_fake_${ctx.seq}`;
  const toolUseId = `toolu_fake_${ctx.seq}`;
  const stop = { stop_reason: stopReason(reply), stop_sequence: (reply.kind === 'text' && reply.stopSequence) || null };
  ctx.res.setHeader('request-id', `req_fake_${ctx.seq}`);

  if (body.stream !== true) {
    const block =
      reply.kind === 'text'
        ? { type: 'text', text: reply.text }
        : { type: 'tool_use', id: toolUseId, name: reply.name, input: reply.input };
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: thinks ? [thinkingBlock(), block] : [block],
      ...stop,
      ...(counts ? { usage: anthropicUsage(counts) } : {}),
    };
    sendJson(ctx.res, 200, JSON.stringify(message));
    return;
  }

  const event = <T extends { readonly type: string }>(payload: T): string =>
    sseEvent(payload.type, JSON.stringify(payload));
  // message_start already reports the input; its output_tokens is a small running count, the final one
  // comes in message_delta (a client that adds the two counts the output twice).
  const startMessage = {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    ...(counts ? { usage: anthropicUsage(counts, Math.min(1, counts.output)) } : {}),
  };
  const opening =
    reply.kind === 'text'
      ? { type: 'text', text: '' }
      : { type: 'tool_use', id: toolUseId, name: reply.name, input: {} };
  const head = thinks
    ? event({ type: 'message_start', message: startMessage }) +
      thinkingEvents(0, event) +
      event({ type: 'ping' }) +
      event({ type: 'content_block_start', index: answerIndex, content_block: opening })
    : event({ type: 'message_start', message: startMessage }) +
      event({ type: 'content_block_start', index: 0, content_block: opening }) +
      event({ type: 'ping' });
  const content = reply.pieces.map((piece) =>
    event({
      type: 'content_block_delta',
      index: answerIndex,
      delta:
        reply.kind === 'text' ? { type: 'text_delta', text: piece } : { type: 'input_json_delta', partial_json: piece },
    }),
  );
  const tail =
    event({ type: 'content_block_stop', index: answerIndex }) +
    event({ type: 'message_delta', delta: stop, ...(counts ? { usage: { output_tokens: counts.output } } : {}) }) +
    event({ type: 'message_stop' });
  await writeStream(
    ctx.res,
    {
      contentType: SSE_CONTENT_TYPE,
      head,
      content,
      tail,
      inBandError: event(anthropicStreamError(controls.errorCode)),
    },
    controls,
    ctx.signal,
  );
}
