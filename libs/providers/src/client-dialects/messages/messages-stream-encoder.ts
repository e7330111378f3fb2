import type { ChatStreamEncoder, DialectError } from '../../client-dialect.js';
import { isJsonObject, type JsonObject } from '../../json.js';
import { errorEvent } from './messages-errors.js';
import { anthropicId } from './messages-ids.js';
import { thinkingRequested } from './messages-reasoning.js';
import { anthropicStop, firstChoice, type AnthropicStop } from './messages-stop-reason.js';
import { anthropicUsage } from './messages-usage.js';

const sse = (data: JsonObject): string => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

/** The content block being streamed: Anthropic streams one block at a time, each opened and closed. */
type OpenBlock = { kind: 'text' | 'thinking' } | { kind: 'tool'; toolIndex: number };

/**
 * Chat chunks as Anthropic's message stream, the events its SDKs read:
 * `message_start` (then a `ping`, as Anthropic sends one), for each piece of
 * the answer a content block — `content_block_start`, its deltas
 * (`text_delta`, `thinking_delta`, `input_json_delta`), `content_block_stop`
 * — then `message_delta` with the stop reason and the usage, and
 * `message_stop`. A block is closed when the next kind of content starts;
 * the message is closed at end(), since the usage chunk follows the finish
 * chunk.
 */
export class MessagesStreamEncoder implements ChatStreamEncoder {
  private started = false;
  private finished = false;
  private nextIndex = 0;
  private open: { block: OpenBlock; index: number } | null = null;
  /** By chat's `tool_calls[].index`: the content block index the call streams into. */
  private readonly toolBlocks = new Map<number, number>();
  private stop: AnthropicStop = { stop_reason: 'end_turn', stop_sequence: null };
  private refused = false;
  private usage: unknown = null;
  private readonly showThinking: boolean;

  constructor(private readonly request: JsonObject) {
    this.showThinking = thinkingRequested(request);
  }

  chunk(chunk: JsonObject): string {
    if (this.finished) return '';
    let out = this.start(chunk);
    if (isJsonObject(chunk.usage)) this.usage = chunk.usage;
    const choice = firstChoice(chunk);
    if (!choice) return out;
    const delta = isJsonObject(choice.delta) ? choice.delta : {};
    if (this.showThinking && typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
      out += this.into({ kind: 'thinking' }, { type: 'thinking_delta', thinking: delta.reasoning_content });
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      out += this.into({ kind: 'text' }, { type: 'text_delta', text: delta.content });
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.refused = true;
      out += this.into({ kind: 'text' }, { type: 'text_delta', text: delta.refusal });
    }
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls as unknown[]) out += this.toolCall(call);
    if (typeof choice.finish_reason === 'string') {
      this.stop = anthropicStop(choice, this.request);
      out += this.closeBlock();
    }
    return out;
  }

  end(): string {
    if (this.finished) return '';
    let out = this.start({});
    out += this.closeBlock();
    this.finished = true;
    const stopReason = this.refused && this.stop.stop_reason === 'end_turn' ? 'refusal' : this.stop.stop_reason;
    out += sse({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: this.stop.stop_sequence },
      usage: anthropicUsage(this.usage),
    });
    return out + sse({ type: 'message_stop' });
  }

  /** Anthropic ends a failed stream with its `error` event alone: no block or message is closed after it. */
  fail(error: DialectError): string {
    if (this.finished) return '';
    this.finished = true;
    return errorEvent(error);
  }

  private start(chunk: JsonObject): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: anthropicId('msg_', chunk.id),
      type: 'message',
      role: 'assistant',
      model: this.request.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // Chat upstreams count the prompt only at the end: message_delta brings every count.
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return sse({ type: 'message_start', message }) + sse({ type: 'ping' });
  }

  /** A delta for a text or thinking block, opening that block first when another one is open. */
  private into(block: OpenBlock, delta: JsonObject): string {
    let out = '';
    if (this.open?.block.kind !== block.kind) {
      out += this.closeBlock();
      const contentBlock =
        block.kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
      out += this.openBlock(block, contentBlock);
    }
    return out + sse({ type: 'content_block_delta', index: (this.open as { index: number }).index, delta });
  }

  /**
   * A tool-call piece: the call's first piece (with its id and name) opens
   * a tool_use block, and each arguments piece is an input_json_delta on it.
   * Chat streams calls one after the other; a piece for a call whose block
   * was closed still goes to that block's index, where the SDKs collect it.
   */
  private toolCall(call: unknown): string {
    if (!isJsonObject(call)) return '';
    const toolIndex = typeof call.index === 'number' ? call.index : 0;
    const fn = isJsonObject(call.function) ? call.function : {};
    let out = '';
    let index = this.toolBlocks.get(toolIndex);
    if (index === undefined) {
      out += this.closeBlock();
      const contentBlock = { type: 'tool_use', id: anthropicId('toolu_', call.id), name: fn.name ?? '', input: {} };
      out += this.openBlock({ kind: 'tool', toolIndex }, contentBlock);
      index = (this.open as { index: number }).index;
      this.toolBlocks.set(toolIndex, index);
    }
    if (typeof fn.arguments === 'string' && fn.arguments !== '') {
      out += sse({
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: fn.arguments },
      });
    }
    return out;
  }

  private openBlock(block: OpenBlock, contentBlock: JsonObject): string {
    const index = this.nextIndex++;
    this.open = { block, index };
    return sse({ type: 'content_block_start', index, content_block: contentBlock });
  }

  private closeBlock(): string {
    if (!this.open) return '';
    const index = this.open.index;
    this.open = null;
    return sse({ type: 'content_block_stop', index });
  }
}
