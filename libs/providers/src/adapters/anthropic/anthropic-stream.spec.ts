import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import type { CanonicalRequest, StreamTranslator } from '../../provider-adapter.js';
import { providerFor } from '../../providers.js';
import { SseEventSplitter } from '../../sse-event-splitter.js';
import { OVERLOADED_STREAM, TEXT_STREAM, THINKING_STREAM, TOOL_USE_STREAM } from './anthropic.fixtures.js';

type Out = JsonObject | '[DONE]';

const translator = (): StreamTranslator =>
  providerFor('anthropic').streamTranslator({ endpoint: 'chat.completions', stream: true } as CanonicalRequest)!;

/** Everything the translator emits for a stream arriving in pieces of `pieceSize` characters, then its end. */
function translate(stream: string, pieceSize = stream.length): Out[] {
  const sut = translator();
  const splitter = new SseEventSplitter();
  const out: Out[] = [];
  for (let at = 0; at < stream.length; at += pieceSize) {
    for (const event of splitter.push(stream.slice(at, at + pieceSize))) out.push(...sut.event(event));
  }
  out.push(...sut.end());
  return out;
}

const deltas = (out: Out[]) =>
  out
    .flatMap((item) => (item !== '[DONE]' && Array.isArray(item.choices) && item.choices.length > 0 ? [item] : []))
    .map((chunk) => (chunk.choices as JsonObject[])[0]);

describe('anthropic stream translation', () => {
  it('turns the text stream into OpenAI chunks ending with the finish reason, the usage chunk and [DONE]', () => {
    const out = translate(TEXT_STREAM);
    const chunk = {
      id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      object: 'chat.completion.chunk',
      model: 'claude-opus-4-6',
    };
    expect(out).toEqual([
      {
        ...chunk,
        created: expect.any(Number),
        choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
      },
      {
        ...chunk,
        created: expect.any(Number),
        choices: [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }],
      },
      {
        ...chunk,
        created: expect.any(Number),
        choices: [{ index: 0, delta: { content: '!' }, logprobs: null, finish_reason: null }],
      },
      {
        ...chunk,
        created: expect.any(Number),
        choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
      },
      {
        ...chunk,
        created: expect.any(Number),
        choices: [],
        usage: {
          prompt_tokens: 25,
          completion_tokens: 15,
          total_tokens: 40,
          prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        },
      },
      '[DONE]',
    ]);
  });

  it('gives the same chunks whatever pieces the bytes arrive in', () => {
    const strip = (out: Out[]) => JSON.stringify(out);
    expect(strip(translate(TOOL_USE_STREAM, 7))).toBe(strip(translate(TOOL_USE_STREAM)));
    expect(strip(translate(TEXT_STREAM, 1))).toBe(strip(translate(TEXT_STREAM)));
  });

  it('streams a tool call as its opening chunk, then argument pieces at the same index', () => {
    const out = translate(TOOL_USE_STREAM);
    expect(deltas(out).map((choice) => choice.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: "Okay, let's check the weather for San Francisco, CA:" },
      {
        tool_calls: [
          {
            index: 0,
            id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
            type: 'function',
            function: { name: 'get_weather', arguments: '' },
          },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: ' "San Francisc' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'o, CA", "unit": "fahrenheit"}' } }] },
      {},
    ]);
    expect(deltas(out).at(-1)!.finish_reason).toBe('tool_calls');
    const args = deltas(out)
      .flatMap((choice) => ((choice.delta as JsonObject).tool_calls as JsonObject[] | undefined) ?? [])
      .map((call) => (call.function as JsonObject).arguments)
      .join('');
    expect(JSON.parse(args)).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' });
    expect(out.at(-2)).toMatchObject({ choices: [], usage: { prompt_tokens: 472, completion_tokens: 89 } });
  });

  it('numbers parallel tool calls from 0 and gives a call without input `{}` as its arguments', () => {
    const event = (data: object) => `event: x\ndata: ${JSON.stringify(data)}\n\n`;
    const stream = [
      event({ type: 'message_start', message: { id: 'msg_p', model: 'claude', usage: { input_tokens: 9 } } }),
      event({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'toolu_a', name: 'now', input: {} },
      }),
      event({ type: 'content_block_stop', index: 0 }),
      event({
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_b', name: 'roll', input: {} },
      }),
      event({
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"sides": 6}' },
      }),
      event({ type: 'content_block_stop', index: 1 }),
      event({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 30 } }),
      event({ type: 'message_stop' }),
    ].join('');
    const calls = deltas(translate(stream)).flatMap(
      (choice) => ((choice.delta as JsonObject).tool_calls as JsonObject[] | undefined) ?? [],
    );
    expect(calls).toEqual([
      { index: 0, id: 'toolu_a', type: 'function', function: { name: 'now', arguments: '' } },
      { index: 0, function: { arguments: '{}' } },
      { index: 1, id: 'toolu_b', type: 'function', function: { name: 'roll', arguments: '' } },
      { index: 1, function: { arguments: '{"sides": 6}' } },
    ]);
  });

  it('streams the thinking as reasoning_content and counts cache reads into the prompt tokens', () => {
    const out = translate(THINKING_STREAM);
    expect(deltas(out).map((choice) => choice.delta)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'I need to find the GCD of 1071 and 462.' },
      { content: 'The GCD is 21.' },
      {},
    ]);
    expect(out.at(-2)).toMatchObject({
      usage: {
        prompt_tokens: 1060,
        completion_tokens: 240,
        total_tokens: 1300,
        prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 0 },
      },
    });
  });

  it("ends on an in-band error with OpenAI's error object and [DONE], and nothing after", () => {
    const sut = translator();
    const splitter = new SseEventSplitter();
    const out = splitter.push(OVERLOADED_STREAM).flatMap((event) => sut.event(event));
    expect(out.slice(-2)).toEqual([
      { error: { message: 'Overloaded', type: 'overloaded_error', param: null, code: 'overloaded_error' } },
      '[DONE]',
    ]);
    expect(deltas(out).map((choice) => choice.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Once upon' },
    ]);
    expect(sut.event({ raw: '', data: '{"type":"message_stop"}' })).toEqual([]);
    expect(sut.end()).toEqual([]);
  });

  it('still ends a stream that stopped before message_stop, with the prompt usage only when no output count came', () => {
    const cut = TEXT_STREAM.slice(0, TEXT_STREAM.indexOf('event: message_delta'));
    const out = translate(cut);
    expect(deltas(out).at(-1)).toMatchObject({ delta: {}, finish_reason: 'stop' });
    // Without completion_tokens the edge counts the output from the streamed text instead of billing none.
    expect(out.at(-2)).toMatchObject({ choices: [], usage: { prompt_tokens: 25 } });
    expect((out.at(-2) as JsonObject).usage).not.toHaveProperty('completion_tokens');
    expect(out.at(-1)).toBe('[DONE]');

    const withDelta = TEXT_STREAM.slice(0, TEXT_STREAM.indexOf('event: message_stop'));
    expect(translate(withDelta).at(-2)).toMatchObject({ usage: { prompt_tokens: 25, completion_tokens: 15 } });
  });

  it('sends no usage chunk for a stream that carried no counts at all', () => {
    const withoutUsage = TEXT_STREAM.replace(', "usage": {"input_tokens": 25, "output_tokens": 1}', '').replace(
      ', "usage": {"output_tokens": 15}',
      '',
    );
    const out = translate(withoutUsage);
    expect(out.filter((item) => item !== '[DONE]' && 'usage' in item)).toEqual([]);
    expect(deltas(out).at(-1)).toMatchObject({ finish_reason: 'stop' });
    expect(out.at(-1)).toBe('[DONE]');
  });

  it('ignores pings, comments and data it cannot read, and ends an empty stream with [DONE] only', () => {
    const sut = translator();
    expect(sut.event({ raw: ': keep-alive\n\n', data: null })).toEqual([]);
    expect(sut.event({ raw: '', data: '{"type": "ping"}' })).toEqual([]);
    expect(sut.event({ raw: '', data: 'not json' })).toEqual([]);
    expect(sut.end()).toEqual(['[DONE]']);
  });
});
