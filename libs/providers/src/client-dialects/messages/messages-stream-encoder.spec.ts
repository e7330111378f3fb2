import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import { MessagesStreamEncoder } from './messages-stream-encoder.js';
import { BASIC_REQUEST, THINKING_REQUEST } from './messages.fixtures.js';

/** The SSE text as (event name, data) pairs, checking each event's name is its data's type. */
function events(sse: string): Array<{ event: string; data: JsonObject }> {
  return sse
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine, ...rest] = block.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine.startsWith('event: ') && dataLine.startsWith('data: ')).toBe(true);
      const data = JSON.parse(dataLine.slice('data: '.length)) as JsonObject;
      const event = eventLine.slice('event: '.length);
      expect(data.type).toBe(event);
      return { event, data };
    });
}

const chunk = (delta: JsonObject, finish_reason: string | null = null): JsonObject => ({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, logprobs: null, finish_reason }],
});
const usageChunk = (usage: JsonObject): JsonObject => ({
  id: 'chatcmpl-123',
  object: 'chat.completion.chunk',
  created: 1694268190,
  model: 'gpt-4o-mini',
  choices: [],
  usage,
});

function encode(request: JsonObject, chunks: JsonObject[]): Array<{ event: string; data: JsonObject }> {
  const sut = new MessagesStreamEncoder(request);
  return events(chunks.map((c) => sut.chunk(c)).join('') + sut.end());
}

describe(MessagesStreamEncoder.name, () => {
  it('streams a text answer as Anthropic does: start, ping, one text block, the stop and usage, message_stop', () => {
    const out = encode(BASIC_REQUEST, [
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: '!' }),
      chunk({}, 'stop'),
      usageChunk({
        prompt_tokens: 25,
        completion_tokens: 15,
        total_tokens: 40,
        prompt_tokens_details: { cached_tokens: 0 },
      }),
    ]);
    expect(out).toEqual([
      {
        event: 'message_start',
        data: {
          type: 'message_start',
          message: {
            id: 'msg_123',
            type: 'message',
            role: 'assistant',
            model: 'claude-sonnet-4-5',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 0, output_tokens: 0 },
          },
        },
      },
      { event: 'ping', data: { type: 'ping' } },
      {
        event: 'content_block_start',
        data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      },
      {
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
      },
      {
        event: 'content_block_delta',
        data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } },
      },
      { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
      {
        event: 'message_delta',
        data: {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { input_tokens: 25, output_tokens: 15, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      },
      { event: 'message_stop', data: { type: 'message_stop' } },
    ]);
  });

  it('streams text then two tool calls as separate blocks, arguments as input_json_delta pieces', () => {
    const out = encode(BASIC_REQUEST, [
      chunk({ role: 'assistant', content: "Okay, let's check:" }),
      chunk({
        tool_calls: [
          {
            index: 0,
            id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: ' "Paris"}' } }] }),
      chunk({
        tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }],
      }),
      chunk({}, 'tool_calls'),
      usageChunk({ prompt_tokens: 472, completion_tokens: 89, total_tokens: 561 }),
    ]);
    expect(out.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(out[5].data).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'toolu_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather', input: {} },
    });
    expect(out.slice(6, 8).map((e) => e.data)).toEqual([
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"location":' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ' "Paris"}' } },
    ]);
    expect(out[9].data).toMatchObject({
      index: 2,
      content_block: { type: 'tool_use', id: 'toolu_2', name: 'get_time' },
    });
    expect(out[12].data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 472, output_tokens: 89 },
    });
  });

  it('streams reasoning as a thinking block before the text when the client asked for thinking, and not otherwise', () => {
    const chunks = [
      chunk({ role: 'assistant', reasoning_content: 'I need the GCD' }),
      chunk({ reasoning_content: ' of 1071 and 462.' }),
      chunk({ content: 'The GCD is 21.' }),
      chunk({}, 'length'),
    ];
    const thinking = encode(THINKING_REQUEST, chunks);
    expect(thinking.slice(2, 5).map((e) => e.data)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'I need the GCD' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: ' of 1071 and 462.' } },
    ]);
    expect(thinking[6].data).toMatchObject({ index: 1, content_block: { type: 'text' } });
    expect(thinking.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 0 } });
    const plain = encode(BASIC_REQUEST, chunks);
    expect(plain.filter((e) => e.event === 'content_block_start').map((e) => e.data.content_block)).toEqual([
      { type: 'text', text: '' },
    ]);
  });

  it('answers an empty stream with a whole, empty message', () => {
    expect(encode(BASIC_REQUEST, []).map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'message_delta',
      'message_stop',
    ]);
  });

  const error = {
    message: 'Overloaded',
    type: 'overloaded_error',
    code: 'overloaded_error',
    param: null,
    tid: 'a'.repeat(32),
  };

  it('fails a fresh stream with the error event alone', () => {
    const sut = new MessagesStreamEncoder(BASIC_REQUEST);
    expect(events(sut.fail(error))).toEqual([
      {
        event: 'error',
        data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded', tid: 'a'.repeat(32) } },
      },
    ]);
    expect(sut.end()).toBe('');
  });

  it('fails a started stream with the error event, nothing closed after it, as Anthropic ends one', () => {
    const sut = new MessagesStreamEncoder(BASIC_REQUEST);
    sut.chunk(chunk({ content: 'Once upon' }));
    const out = events(
      sut.fail({ ...error, message: 'upstream broke off', type: 'server_error', code: 'upstream_unavailable' }),
    );
    expect(out).toEqual([
      {
        event: 'error',
        data: { type: 'error', error: { type: 'api_error', message: 'upstream broke off', tid: 'a'.repeat(32) } },
      },
    ]);
    expect(sut.chunk(chunk({ content: 'more' }))).toBe('');
  });
});
