import type { ChatStreamEncoder, DialectError } from '../../client-dialect.js';
import { isJsonObject, type JsonObject } from '../../json.js';
import { openAiId } from './responses-ids.js';
import {
  functionCallItem,
  messageItem,
  outcomeOf,
  outputText,
  refusalPart,
  responseObject,
} from './responses-object.js';
import { responsesUsage } from './responses-usage.js';

/** The message item being streamed, and its content part being written (text or refusal). */
interface OpenMessage {
  outputIndex: number;
  item: JsonObject;
  part: { kind: 'text' | 'refusal'; contentIndex: number; text: string } | null;
}

/** A function call item, by chat's `tool_calls[].index`. */
interface StreamedCall {
  outputIndex: number;
  item: JsonObject;
}

/**
 * Chat chunks as the Responses API's event stream, the events OpenAI's SDKs
 * read: `response.created` and `response.in_progress` on the first chunk;
 * for the text a `message` item (`response.output_item.added`,
 * `response.content_part.added`, `response.output_text.delta`s, then the
 * `.done` events in reverse), a refusal as a `refusal` part
 * (`response.refusal.delta`), each tool call as a `function_call` item
 * (`response.function_call_arguments.delta` / `.done`); and at end() —
 * the usage chunk comes after the finish chunk — `response.completed` (or
 * `response.incomplete`) with the whole response and its usage. Every event
 * is `event: <type>` and its JSON with `type` and `sequence_number`.
 */
export class ResponsesStreamEncoder implements ChatStreamEncoder {
  private sequence = 0;
  private response: JsonObject | null = null;
  private finished = false;
  private readonly items: JsonObject[] = [];
  private message: OpenMessage | null = null;
  private readonly calls = new Map<number, StreamedCall>();
  private openCall: StreamedCall | null = null;
  private finishReason: unknown = null;
  private usage: unknown = null;

  constructor(private readonly request: JsonObject) {}

  chunk(chunk: JsonObject): string {
    if (this.finished) return '';
    let out = this.start(chunk);
    if (isJsonObject(chunk.usage)) this.usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) ? (chunk.choices as unknown[]).find(isJsonObject) : undefined;
    if (!choice) return out;
    const delta = isJsonObject(choice.delta) ? choice.delta : {};
    if (typeof delta.content === 'string' && delta.content !== '') {
      out += this.closeCall() + this.intoMessage('text', delta.content);
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      out += this.closeCall() + this.intoMessage('refusal', delta.refusal);
    }
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls as unknown[]) out += this.toolCall(call);
    if (typeof choice.finish_reason === 'string') {
      this.finishReason = choice.finish_reason;
      out += this.closeMessage() + this.closeCall();
    }
    return out;
  }

  end(): string {
    if (this.finished) return '';
    let out = this.start({});
    out += this.closeMessage() + this.closeCall();
    this.finished = true;
    const response = this.response as JsonObject;
    const outcome = outcomeOf(this.finishReason);
    response.status = outcome.status;
    response.incomplete_details = outcome.incomplete_details;
    response.output = this.items;
    response.usage = responsesUsage(this.usage);
    return (
      out + this.event(outcome.status === 'completed' ? 'response.completed' : 'response.incomplete', { response })
    );
  }

  /**
   * OpenAI's `error` event, then `response.failed` with what was produced
   * — but a stream that failed before anything was seen has no response to
   * fail: the error event alone.
   */
  fail(error: DialectError): string {
    if (this.finished) return '';
    this.finished = true;
    let out = this.event('error', { code: error.code, message: error.message, param: error.param, tid: error.tid });
    const response = this.response;
    if (response) {
      response.status = 'failed';
      response.error = { code: error.code ?? 'server_error', message: error.message };
      response.output = this.items;
      response.usage = responsesUsage(this.usage);
      out += this.event('response.failed', { response });
    }
    return out;
  }

  private event(type: string, fields: JsonObject): string {
    const data = { type, ...fields, sequence_number: this.sequence++ };
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  private start(chunk: JsonObject): string {
    if (this.response) return '';
    this.response = responseObject(this.request, {
      id: openAiId('resp_', chunk.id),
      createdAt: typeof chunk.created === 'number' ? chunk.created : Math.floor(Date.now() / 1000),
      model: chunk.model ?? this.request.model,
      status: 'in_progress',
    });
    const response = this.response;
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private addItem(item: JsonObject): number {
    const outputIndex = this.items.length;
    this.items.push(item);
    return outputIndex;
  }

  /** A text or refusal piece, opening the message item, and the part of its kind, when not open yet. */
  private intoMessage(kind: 'text' | 'refusal', piece: string): string {
    let out = '';
    if (!this.message) {
      const item = messageItem(openAiId('msg_', (this.response as JsonObject).id), 'in_progress', []);
      out += this.event('response.output_item.added', { output_index: this.items.length, item });
      this.message = { outputIndex: this.addItem(item), item, part: null };
    }
    const message = this.message;
    const at = { item_id: message.item.id, output_index: message.outputIndex };
    if (message.part?.kind !== kind) {
      out += this.closePart();
      const contentIndex = (message.item.content as unknown[]).length;
      message.part = { kind, contentIndex, text: '' };
      const part = kind === 'text' ? outputText('') : refusalPart('');
      out += this.event('response.content_part.added', { ...at, content_index: contentIndex, part });
    }
    const part = message.part;
    part.text += piece;
    const deltaAt = { ...at, content_index: part.contentIndex, delta: piece };
    return (
      out +
      (kind === 'text'
        ? this.event('response.output_text.delta', { ...deltaAt, logprobs: [] })
        : this.event('response.refusal.delta', deltaAt))
    );
  }

  private closePart(): string {
    const message = this.message;
    const part = message?.part;
    if (!message || !part) return '';
    message.part = null;
    const at = { item_id: message.item.id, output_index: message.outputIndex, content_index: part.contentIndex };
    const done = part.kind === 'text' ? outputText(part.text) : refusalPart(part.text);
    (message.item.content as JsonObject[]).push(done);
    const out =
      part.kind === 'text'
        ? this.event('response.output_text.done', { ...at, text: part.text, logprobs: [] })
        : this.event('response.refusal.done', { ...at, refusal: part.text });
    return out + this.event('response.content_part.done', { ...at, part: done });
  }

  private closeMessage(): string {
    const message = this.message;
    if (!message) return '';
    const out = this.closePart();
    this.message = null;
    message.item.status = outcomeOf(this.finishReason).status;
    return out + this.event('response.output_item.done', { output_index: message.outputIndex, item: message.item });
  }

  /**
   * A tool-call piece: a call's first piece (its id and name) adds a
   * function_call item, each arguments piece is a delta on it. Chat streams
   * calls one after the other, so a new call closes the one before.
   */
  private toolCall(call: unknown): string {
    if (!isJsonObject(call)) return '';
    const index = typeof call.index === 'number' ? call.index : 0;
    const fn = isJsonObject(call.function) ? call.function : {};
    let out = '';
    let streamed = this.calls.get(index);
    if (!streamed) {
      out += this.closeMessage() + this.closeCall();
      const callId = typeof call.id === 'string' ? call.id : openAiId('call_', undefined);
      const name = typeof fn.name === 'string' ? fn.name : '';
      const item = functionCallItem(openAiId('fc_', callId), { callId, name, arguments: '' }, 'in_progress');
      out += this.event('response.output_item.added', { output_index: this.items.length, item });
      streamed = { outputIndex: this.addItem(item), item };
      this.calls.set(index, streamed);
      this.openCall = streamed;
    }
    if (typeof fn.arguments === 'string' && fn.arguments !== '') {
      streamed.item.arguments = `${streamed.item.arguments as string}${fn.arguments}`;
      out += this.event('response.function_call_arguments.delta', {
        item_id: streamed.item.id,
        output_index: streamed.outputIndex,
        delta: fn.arguments,
      });
    }
    return out;
  }

  private closeCall(): string {
    const open = this.openCall;
    if (!open) return '';
    this.openCall = null;
    open.item.status = 'completed';
    const { id, name, arguments: args } = open.item;
    return (
      this.event('response.function_call_arguments.done', {
        item_id: id,
        output_index: open.outputIndex,
        name,
        arguments: args,
      }) + this.event('response.output_item.done', { output_index: open.outputIndex, item: open.item })
    );
  }
}
