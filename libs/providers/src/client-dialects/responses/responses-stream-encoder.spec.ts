import { describe, expect, it } from '@jest/globals';
import type { DialectError } from '../../client-dialect.js';
import type { JsonObject } from '../../json.js';
import { serveToSdk } from './responses-sdk.fixtures.js';
import { ResponsesStreamEncoder } from './responses-stream-encoder.js';
import { REQUESTS, TEXT_CHUNKS, TOOL_CHUNKS } from './responses.fixtures.js';

/** The whole stream the encoder writes for these chat chunks. */
function encode(request: JsonObject, chunks: JsonObject[]): string {
  const encoder = new ResponsesStreamEncoder(request);
  return chunks.map((chunk) => encoder.chunk(chunk)).join('') + encoder.end();
}

/** The events of an SSE text, checking each one's framing: `event:` names the data's type. */
function eventsOf(sse: string): JsonObject[] {
  return sse
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine, ...rest] = block.split('\n');
      expect(rest).toEqual([]);
      const data = JSON.parse(dataLine.replace(/^data: /, '')) as JsonObject;
      expect(eventLine).toBe(`event: ${String(data.type)}`);
      return data;
    });
}

const FAILURE: DialectError = {
  message: 'The upstream provider broke off the stream.',
  type: 'server_error',
  code: 'upstream_stream_error',
  param: null,
  tid: '4bf92f3577b34da6a3ce929d0e0e4736',
};

describe(ResponsesStreamEncoder.name, () => {
  it("streams a text answer as OpenAI's Responses events, numbered in order", () => {
    const events = eventsOf(encode(REQUESTS.streaming, TEXT_CHUNKS));
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[0].response).toMatchObject({
      id: 'resp_chatcmpl-123',
      object: 'response',
      status: 'in_progress',
      output: [],
      usage: null,
      instructions: 'You are a helpful assistant.',
    });
    expect(events[4]).toMatchObject({
      item_id: 'msg_resp_chatcmpl-123',
      output_index: 0,
      content_index: 0,
      delta: 'Hello',
    });
    expect(events[6]).toMatchObject({ text: 'Hello!' });
    expect(events.at(-1)?.response).toMatchObject({
      status: 'completed',
      output: [
        {
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hello!', annotations: [] }],
        },
      ],
      usage: { input_tokens: 9, input_tokens_details: { cached_tokens: 4 }, output_tokens: 2, total_tokens: 11 },
    });
  });

  it('streams a tool call as a function_call item with its argument deltas', () => {
    const events = eventsOf(encode(REQUESTS.functions, TOOL_CHUNKS));
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[2].item).toEqual({
      id: 'fc_call_abc123',
      type: 'function_call',
      status: 'in_progress',
      arguments: '',
      call_id: 'call_abc123',
      name: 'get_current_weather',
    });
    expect(events[5]).toMatchObject({ name: 'get_current_weather', arguments: '{"location":"Boston, MA"}' });
  });

  it('closes the message before a call that follows the text, and numbers the items', () => {
    const chunks = [TEXT_CHUNKS[1], ...TOOL_CHUNKS];
    const events = eventsOf(encode(REQUESTS.functions, chunks));
    const added = events.filter((event) => event.type === 'response.output_item.added');
    expect(added.map((event) => [event.output_index, (event.item as JsonObject).type])).toEqual([
      [0, 'message'],
      [1, 'function_call'],
    ]);
    const messageDone = events.findIndex((event) => event.type === 'response.output_item.done');
    expect(messageDone).toBeLessThan(events.indexOf(added[1]));
  });

  it('is incomplete when the output cap cut the answer', () => {
    const cut = [TEXT_CHUNKS[1], { ...TEXT_CHUNKS[3], choices: [{ index: 0, delta: {}, finish_reason: 'length' }] }];
    const last = eventsOf(encode(REQUESTS.text, cut)).at(-1) as JsonObject;
    expect(last.type).toBe('response.incomplete');
    expect(last.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });

  it('streams a refusal as a refusal part', () => {
    const refusal = { ...TEXT_CHUNKS[1], choices: [{ index: 0, delta: { refusal: 'No.' }, finish_reason: null }] };
    const events = eventsOf(encode(REQUESTS.text, [refusal, TEXT_CHUNKS[3]]));
    expect(events.map((event) => event.type)).toContain('response.refusal.delta');
    expect(events.at(-1)?.response).toMatchObject({ output: [{ content: [{ type: 'refusal', refusal: 'No.' }] }] });
  });

  it('ends a started stream that failed with the error event, then response.failed', () => {
    const encoder = new ResponsesStreamEncoder(REQUESTS.text);
    const events = eventsOf(encoder.chunk(TEXT_CHUNKS[1]) + encoder.fail(FAILURE));
    expect(events.slice(-2)).toEqual([
      {
        type: 'error',
        code: 'upstream_stream_error',
        message: 'The upstream provider broke off the stream.',
        param: null,
        tid: FAILURE.tid,
        sequence_number: events.length - 2,
      },
      expect.objectContaining({
        type: 'response.failed',
        response: expect.objectContaining({
          status: 'failed',
          error: { code: 'upstream_stream_error', message: 'The upstream provider broke off the stream.' },
        }),
      }),
    ]);
    expect(encoder.end()).toBe('');
  });

  it('fails a stream that saw nothing with the error event alone', () => {
    const events = eventsOf(new ResponsesStreamEncoder(REQUESTS.text).fail(FAILURE));
    expect(events.map((event) => event.type)).toEqual(['error']);
  });

  it("is read by the official SDK's stream helper: finalResponse() has the message and the usage", async () => {
    const sdk = await serveToSdk(encode(REQUESTS.streaming, TEXT_CHUNKS), 'text/event-stream');
    try {
      const stream = sdk.client.responses.stream({ model: 'gpt-4.1', input: 'Hello!' });
      const deltas: string[] = [];
      stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
      const response = await stream.finalResponse();
      // The helper's final response has no output_text (the SDK adds it to non-streamed answers only).
      expect(response.output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text: 'Hello!' }] }]);
      expect(deltas).toEqual(['Hello', '!']);
      expect(response.usage).toMatchObject({ input_tokens: 9, output_tokens: 2, total_tokens: 11 });
    } finally {
      await sdk.close();
    }
  });

  it('is read by the SDK as a create({stream: true}) event stream, a tool call included', async () => {
    const sdk = await serveToSdk(encode(REQUESTS.functions, TOOL_CHUNKS), 'text/event-stream');
    try {
      const stream = await sdk.client.responses.create({ model: 'gpt-4.1', input: 'Weather?', stream: true });
      let completed: unknown;
      let args = '';
      for await (const event of stream) {
        if (event.type === 'response.function_call_arguments.delta') args += event.delta;
        if (event.type === 'response.completed') completed = event.response;
      }
      expect(args).toBe('{"location":"Boston, MA"}');
      expect(completed).toMatchObject({
        output: [{ type: 'function_call', call_id: 'call_abc123', arguments: '{"location":"Boston, MA"}' }],
      });
    } finally {
      await sdk.close();
    }
  });

  it("makes the SDK's stream helper reject with the in-band error", async () => {
    const encoder = new ResponsesStreamEncoder(REQUESTS.text);
    const sdk = await serveToSdk(encoder.chunk(TEXT_CHUNKS[1]) + encoder.fail(FAILURE), 'text/event-stream');
    try {
      const stream = sdk.client.responses.stream({ model: 'gpt-4.1', input: 'Hello!' });
      await expect(stream.finalResponse()).rejects.toMatchObject({ message: FAILURE.message });
    } finally {
      await sdk.close();
    }
  });
});
