import type { ChatStreamEncoder, DialectError } from '../../client-dialect.js';
import { isJsonObject, type JsonObject } from '../../json.js';
import {
  echoedSettings,
  functionCallItem,
  messageItem,
  reasoningItem,
  responsesId,
  responseStatus,
  textPart,
} from './responses-answer.js';
import { responsesUsage } from './responses-usage.js';

/** One output item being streamed, with what its `.done` events must repeat. */
type OpenItem =
  | { kind: 'reasoning'; id: string; index: number; text: string }
  | { kind: 'message'; id: string; index: number; text: string }
  | { kind: 'call'; id: string; index: number; callId: string; name: string; args: string };

/**
 * Chat chunks as the Responses API's event stream, the way the OpenAI SDK
 * assembles it: `response.created` and `response.in_progress`, then per
 * output item `response.output_item.added`, its deltas (text, function-call
 * arguments, reasoning summary text) and its `.done` events, then
 * `response.completed` (or `response.incomplete`) carrying the whole
 * response with its usage. Every event names its `type` and a
 * `sequence_number`, and items their `output_index`.
 */
export class ResponsesStreamEncoder implements ChatStreamEncoder {
  private sequence = 0;
  private started = false;
  private id = responsesId('resp_', null);
  private model: unknown = null;
  private createdAt = Math.floor(Date.now() / 1000);
  private finishReason: unknown = null;
  private usage: unknown = null;
  private open: OpenItem | null = null;
  /** Open calls by chat's tool-call index: their argument pieces come under it. */
  private readonly calls = new Map<number, OpenItem & { kind: 'call' }>();
  private readonly output: JsonObject[] = [];
  private ended = false;

  constructor(private readonly request: JsonObject) {}

  chunk(chunk: JsonObject): string {
    let out = this.start(chunk);
    if (isJsonObject(chunk.usage)) this.usage = chunk.usage;
    const choice = Array.isArray(chunk.choices) && isJsonObject(chunk.choices[0]) ? chunk.choices[0] : null;
    if (!choice) return out;
    const delta = isJsonObject(choice.delta) ? choice.delta : {};
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
      out += this.reasoningDelta(delta.reasoning_content);
    }
    if (typeof delta.content === 'string' && delta.content !== '') out += this.textDelta(delta.content);
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) if (isJsonObject(call)) out += this.callDelta(call);
    }
    if (choice.finish_reason !== undefined && choice.finish_reason !== null) this.finishReason = choice.finish_reason;
    return out;
  }

  end(): string {
    if (this.ended) return '';
    this.ended = true;
    let out = this.start({});
    out += this.closeAll();
    const { status, incomplete_details } = responseStatus(this.finishReason);
    const response = this.response(status, { incomplete_details });
    return out + this.event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  }

  fail(error: DialectError): string {
    if (this.ended) return '';
    this.ended = true;
    let out = this.event('error', { code: error.code, message: error.message, param: error.param, tid: error.tid });
    if (this.started) {
      out += this.event('response.failed', {
        response: this.response('failed', { error: { code: error.code ?? 'server_error', message: error.message } }),
      });
    }
    return out;
  }

  private start(chunk: JsonObject): string {
    if (this.started) return '';
    this.started = true;
    if (typeof chunk.id === 'string') this.id = responsesId('resp_', chunk.id);
    if (typeof chunk.created === 'number') this.createdAt = chunk.created;
    this.model = chunk.model ?? this.request.model;
    const response = this.response('in_progress', {});
    return this.event('response.created', { response }) + this.event('response.in_progress', { response });
  }

  private reasoningDelta(text: string): string {
    let out = '';
    if (this.open?.kind !== 'reasoning') {
      out += this.closeAll();
      const item: OpenItem = { kind: 'reasoning', id: responsesId('rs_', null), index: this.output.length, text: '' };
      this.open = item;
      this.output.push({});
      out += this.event('response.output_item.added', {
        output_index: item.index,
        item: { type: 'reasoning', id: item.id, summary: [] },
      });
      out += this.event('response.reasoning_summary_part.added', {
        item_id: item.id,
        output_index: item.index,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
    }
    const item = this.open;
    item.text += text;
    return (
      out +
      this.event('response.reasoning_summary_text.delta', {
        item_id: item.id,
        output_index: item.index,
        summary_index: 0,
        delta: text,
      })
    );
  }

  private textDelta(text: string): string {
    let out = '';
    if (this.open?.kind !== 'message') {
      out += this.closeAll();
      const item: OpenItem = { kind: 'message', id: responsesId('msg_', null), index: this.output.length, text: '' };
      this.open = item;
      this.output.push({});
      out += this.event('response.output_item.added', {
        output_index: item.index,
        item: messageItem(item.id, [], 'in_progress'),
      });
      out += this.event('response.content_part.added', {
        item_id: item.id,
        output_index: item.index,
        content_index: 0,
        part: textPart(''),
      });
    }
    const item = this.open;
    item.text += text;
    return (
      out +
      this.event('response.output_text.delta', {
        item_id: item.id,
        output_index: item.index,
        content_index: 0,
        delta: text,
        logprobs: [],
      })
    );
  }

  private callDelta(call: JsonObject): string {
    const index = typeof call.index === 'number' ? call.index : 0;
    const fn = isJsonObject(call.function) ? call.function : {};
    let out = '';
    let item = this.calls.get(index);
    if (!item) {
      out += this.closeAll();
      const callId = typeof call.id === 'string' ? call.id : responsesId('fc_', null);
      item = {
        kind: 'call',
        id: responsesId('fc_', callId),
        index: this.output.length,
        callId,
        name: typeof fn.name === 'string' ? fn.name : '',
        args: '',
      };
      this.calls.set(index, item);
      this.open = item;
      this.output.push({});
      out += this.event('response.output_item.added', {
        output_index: item.index,
        item: functionCallItem(item.id, item.callId, item.name, '', 'in_progress'),
      });
    }
    if (typeof fn.arguments === 'string' && fn.arguments !== '') {
      item.args += fn.arguments;
      out += this.event('response.function_call_arguments.delta', {
        item_id: item.id,
        output_index: item.index,
        delta: fn.arguments,
      });
    }
    return out;
  }

  /** Ends every open item: the one taking text, and the calls (whose pieces may interleave by index). */
  private closeAll(): string {
    let out = '';
    const open = this.open;
    if (open && open.kind !== 'call') out += this.close(open);
    for (const call of this.calls.values()) out += this.close(call);
    this.calls.clear();
    this.open = null;
    return out;
  }

  private close(item: OpenItem): string {
    if (item.kind === 'reasoning') {
      const done = reasoningItem(item.id, item.text);
      this.output[item.index] = done;
      const part = { type: 'summary_text', text: item.text };
      return (
        this.event('response.reasoning_summary_text.done', {
          item_id: item.id,
          output_index: item.index,
          summary_index: 0,
          text: item.text,
        }) +
        this.event('response.reasoning_summary_part.done', {
          item_id: item.id,
          output_index: item.index,
          summary_index: 0,
          part,
        }) +
        this.event('response.output_item.done', { output_index: item.index, item: done })
      );
    }
    if (item.kind === 'message') {
      const part = textPart(item.text);
      const done = messageItem(item.id, [part]);
      this.output[item.index] = done;
      return (
        this.event('response.output_text.done', {
          item_id: item.id,
          output_index: item.index,
          content_index: 0,
          text: item.text,
          logprobs: [],
        }) +
        this.event('response.content_part.done', {
          item_id: item.id,
          output_index: item.index,
          content_index: 0,
          part,
        }) +
        this.event('response.output_item.done', { output_index: item.index, item: done })
      );
    }
    const args = item.args === '' ? '{}' : item.args;
    const done = functionCallItem(item.id, item.callId, item.name, args);
    this.output[item.index] = done;
    return (
      this.event('response.function_call_arguments.done', {
        item_id: item.id,
        output_index: item.index,
        name: item.name,
        arguments: args,
      }) + this.event('response.output_item.done', { output_index: item.index, item: done })
    );
  }

  private response(status: string, extra: JsonObject): JsonObject {
    return {
      id: this.id,
      object: 'response',
      created_at: this.createdAt,
      status,
      error: null,
      incomplete_details: null,
      model: this.model,
      output: this.output.filter((item) => Object.keys(item).length > 0),
      ...echoedSettings(this.request),
      usage: this.usage === null ? null : responsesUsage(this.usage),
      ...extra,
    };
  }

  private event(type: string, fields: JsonObject): string {
    const data = { type, sequence_number: this.sequence++, ...fields };
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }
}
