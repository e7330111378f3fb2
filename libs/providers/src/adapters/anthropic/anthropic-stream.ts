import { isJsonObject, type JsonObject } from '../../json.js';
import type { StreamTranslator } from '../../provider-adapter.js';
import type { SseEvent } from '../../sse-event-splitter.js';
import { unixSeconds } from './anthropic-answer.js';
import { anthropicClientError } from './anthropic-errors.js';
import { finishReason, openAiUsage, promptUsage } from './anthropic-usage.js';

type Out = Array<JsonObject | '[DONE]'>;

/** What the translator knows of one tool_use content block. */
interface ToolBlock {
  /** Its position among the answer's tool calls (OpenAI's `tool_calls[].index`). */
  index: number;
  sentArguments: boolean;
}

/**
 * Anthropic's message stream as OpenAI `chat.completion.chunk`s: the
 * message_start gives the first chunk (role assistant), each text delta a
 * content chunk, a tool_use block the tool call's opening chunk (id and
 * name) and each of its input_json_delta pieces an arguments chunk at the
 * same index, thinking deltas `reasoning_content`. The message_delta brings
 * the stop reason and the final usage, sent at message_stop as the chunk
 * with the finish reason, the usage chunk and `[DONE]`. An in-band `error`
 * event ends the stream with OpenAI's in-band error object.
 */
export class AnthropicStreamTranslator implements StreamTranslator {
  private id = 'msg';
  private model = '';
  private readonly created = unixSeconds();
  private started = false;
  private ended = false;
  /** Anthropic's usage as it stands: message_start's, updated by each message_delta's (cumulative counts). */
  private usage: JsonObject = {};
  private outputCounted = false;
  private stopReason: unknown = null;
  /** By the content block's index in Anthropic's message. */
  private readonly tools = new Map<number, ToolBlock>();

  event(event: SseEvent): Out {
    if (this.ended || event.data === null) return [];
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return [];
    }
    if (!isJsonObject(data)) return [];
    switch (data.type) {
      case 'message_start':
        return this.start(data.message);
      case 'content_block_start':
        return this.blockStart(data.index, data.content_block);
      case 'content_block_delta':
        return this.blockDelta(data.index, data.delta);
      case 'content_block_stop':
        return this.blockStop(data.index);
      case 'message_delta':
        this.messageDelta(data);
        return [];
      case 'message_stop':
        return this.finish();
      case 'error':
        this.ended = true;
        return [anthropicClientError(data, Buffer.from(event.data)), '[DONE]'];
      default:
        return []; // ping, and event types newer than this translator
    }
  }

  end(): Out {
    if (this.ended) return [];
    if (!this.started) {
      this.ended = true;
      return ['[DONE]'];
    }
    return this.finish();
  }

  private chunk(delta: JsonObject, finish: string | null = null): JsonObject {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    };
  }

  private start(message: unknown): Out {
    if (this.started) return [];
    this.started = true;
    if (isJsonObject(message)) {
      if (typeof message.id === 'string') this.id = message.id;
      if (typeof message.model === 'string') this.model = message.model;
      if (isJsonObject(message.usage)) this.usage = { ...message.usage };
    }
    return [this.chunk({ role: 'assistant', content: '' })];
  }

  private blockStart(index: unknown, block: unknown): Out {
    if (!isJsonObject(block) || typeof index !== 'number') return [];
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
      return [this.chunk({ content: block.text })];
    }
    if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') {
      return [this.chunk({ reasoning_content: block.thinking })];
    }
    if (block.type !== 'tool_use') return [];
    const tool: ToolBlock = { index: this.tools.size, sentArguments: false };
    this.tools.set(index, tool);
    return [
      this.chunk({
        tool_calls: [
          { index: tool.index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } },
        ],
      }),
    ];
  }

  private blockDelta(index: unknown, delta: unknown): Out {
    if (!isJsonObject(delta)) return [];
    if (delta.type === 'text_delta' && typeof delta.text === 'string') return [this.chunk({ content: delta.text })];
    if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string') {
      return [this.chunk({ reasoning_content: delta.thinking })];
    }
    if (delta.type !== 'input_json_delta' || typeof delta.partial_json !== 'string' || delta.partial_json === '') {
      return [];
    }
    const tool = typeof index === 'number' ? this.tools.get(index) : undefined;
    if (!tool) return [];
    tool.sentArguments = true;
    return [this.toolArguments(tool, delta.partial_json)];
  }

  private blockStop(index: unknown): Out {
    const tool = typeof index === 'number' ? this.tools.get(index) : undefined;
    // A call without input streams no JSON at all; OpenAI clients parse the arguments, so they get `{}`.
    if (!tool || tool.sentArguments) return [];
    tool.sentArguments = true;
    return [this.toolArguments(tool, '{}')];
  }

  private toolArguments(tool: ToolBlock, piece: string): JsonObject {
    return this.chunk({ tool_calls: [{ index: tool.index, function: { arguments: piece } }] });
  }

  private messageDelta(data: JsonObject): void {
    if (isJsonObject(data.delta) && data.delta.stop_reason !== undefined) this.stopReason = data.delta.stop_reason;
    if (!isJsonObject(data.usage)) return;
    for (const [key, value] of Object.entries(data.usage)) if (value !== null) this.usage[key] = value;
    if (typeof data.usage.output_tokens === 'number') this.outputCounted = true;
  }

  private finish(): Out {
    this.ended = true;
    const out: Out = [this.chunk({}, finishReason(this.stopReason))];
    const usage = this.finalUsage();
    if (usage) {
      out.push({
        id: this.id,
        object: 'chat.completion.chunk',
        created: this.created,
        model: this.model,
        choices: [],
        usage,
      });
    }
    out.push('[DONE]');
    return out;
  }

  /**
   * What Anthropic counted, in OpenAI's form. A stream that ended without
   * its final output count reports the prompt side only, and one without
   * any count no usage: the edge then counts what it lacks from the request
   * and the streamed text, rather than billing message_start's running 1 or
   * nothing at all.
   */
  private finalUsage(): JsonObject | null {
    if (this.outputCounted) return openAiUsage(this.usage);
    return typeof this.usage.input_tokens === 'number' ? promptUsage(this.usage) : null;
  }
}
