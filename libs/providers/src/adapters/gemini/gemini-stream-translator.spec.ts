import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import type { CanonicalRequest, StreamTranslator } from '../../provider-adapter.js';
import { SseEventSplitter } from '../../sse-event-splitter.js';
import { geminiAdapter } from './gemini.adapter.js';
import { ERROR_STREAM, FUNCTION_CALL_STREAM, TEXT_STREAM } from './gemini.fixtures.js';

const request: CanonicalRequest = {
  endpoint: 'chat.completions',
  target: { baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 'AIzaSy-test-key', apiVersion: null },
  upstreamModel: 'gemini-2.5-flash',
  stream: true,
  body: { model: 'gemini-flash', messages: [{ role: 'user', content: 'Hi' }], stream: true },
  openAiBytes: () => '',
  defaultMaxTokens: 4096,
  contentType: 'application/json',
  nativeHeaders: {},
};

type Out = Array<JsonObject | '[DONE]'>;

function translator(): StreamTranslator {
  const made = geminiAdapter.streamTranslator(request);
  if (!made) throw new Error('a Gemini stream is always translated');
  return made;
}

/** Feeds the stream in small pieces, as the network delivers it, then ends it. */
function run(stream: string, pieceSize = 7): Out {
  const splitter = new SseEventSplitter();
  const sut = translator();
  const out: Out = [];
  for (let at = 0; at < stream.length; at += pieceSize) {
    for (const event of splitter.push(stream.slice(at, at + pieceSize))) out.push(...sut.event(event));
  }
  out.push(...sut.end());
  return out;
}

const choicesOf = (out: Out) =>
  out.flatMap((item) => (item === '[DONE]' ? [] : ((item.choices as JsonObject[] | undefined) ?? [])));

describe('gemini stream translator', () => {
  it('streams text as deltas, the role first, then the finish chunk, the usage chunk and [DONE]', () => {
    const out = run(TEXT_STREAM);
    expect(out.at(-1)).toBe('[DONE]');
    const chunks = out.slice(0, -1) as JsonObject[];
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        id: 'chatcmpl-WHVraLbWCq-Y1MkPhsOZoAY',
        object: 'chat.completion.chunk',
        model: 'gemini-2.5-flash',
      });
    }
    expect(chunks.map((chunk) => chunk.choices)).toEqual([
      [{ index: 0, delta: { role: 'assistant', content: 'The opposite' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: ' of hot is cold.' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
      [],
    ]);
    expect(chunks.at(-1)?.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 35,
      total_tokens: 45,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 28 },
    });
  });

  it('gives the same chunks however the bytes are cut', () => {
    const shape = (out: Out) => out.map((item) => (item === '[DONE]' ? item : { ...item, created: 0 }));
    expect(shape(run(TEXT_STREAM, 1))).toEqual(shape(run(TEXT_STREAM, TEXT_STREAM.length)));
  });

  it('sends a streamed function call as one tool-call delta with its whole arguments, finishing with tool_calls', () => {
    const choices = choicesOf(run(FUNCTION_CALL_STREAM));
    expect(choices).toEqual([
      {
        index: 0,
        delta: {
          role: 'assistant',
          content: '',
          tool_calls: [
            {
              index: 0,
              id: expect.stringMatching(/^call_/),
              type: 'function',
              function: { name: 'get_current_temperature', arguments: '{"location":"London"}' },
              extra_content: { google: { thought_signature: 'CiQB0e2Kb3x' } },
            },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' },
    ]);
  });

  it('numbers tool calls across events and keeps candidates apart', () => {
    const event = (data: unknown) => ({ raw: '', data: JSON.stringify(data) });
    const call = (name: string) => ({ functionCall: { name, args: {} } });
    const sut = translator();
    const out: Out = [
      ...sut.event(
        event({
          candidates: [
            { index: 0, content: { role: 'model', parts: [call('a')] } },
            { index: 1, content: { role: 'model', parts: [{ text: 'Hello' }] } },
          ],
        }),
      ),
      ...sut.event(
        event({
          candidates: [
            { index: 0, content: { role: 'model', parts: [call('b')] }, finishReason: 'STOP' },
            { index: 1, content: { role: 'model', parts: [{ text: '!' }] }, finishReason: 'MAX_TOKENS' },
          ],
        }),
      ),
      ...sut.end(),
    ];
    const summary = choicesOf(out).map((choice) => {
      const delta = choice.delta as JsonObject;
      const calls = (delta.tool_calls as JsonObject[] | undefined)?.map(
        (c) => `${c.index as number}:${(c.function as JsonObject).name as string}`,
      );
      return [choice.index, delta.content ?? null, calls ?? null, choice.finish_reason];
    });
    expect(summary).toEqual([
      [0, '', ['0:a'], null],
      [1, 'Hello', null, null],
      [0, null, ['1:b'], null],
      [0, null, null, 'tool_calls'],
      [1, '!', null, null],
      [1, null, null, 'length'],
    ]);
    // No usageMetadata came: no usage chunk, so the edge counts the streamed text itself.
    expect(out.filter((item) => item !== '[DONE]' && 'usage' in item)).toEqual([]);
    expect(out.at(-1)).toBe('[DONE]');
  });

  it("passes an error event on in OpenAI's shape, then [DONE], and nothing after", () => {
    const splitter = new SseEventSplitter();
    const sut = translator();
    const out: Out = [];
    for (const event of splitter.push(ERROR_STREAM)) out.push(...sut.event(event));
    out.push(...sut.end());
    expect(out.slice(1)).toEqual([
      {
        error: {
          message: 'The model is overloaded. Please try again later.',
          type: 'UNAVAILABLE',
          param: null,
          code: 'UNAVAILABLE',
        },
      },
      '[DONE]',
    ]);
    expect(choicesOf(out.slice(0, 1))).toEqual([
      { index: 0, delta: { role: 'assistant', content: 'Here is' }, logprobs: null, finish_reason: null },
    ]);
  });

  it('ends a blocked prompt with content_filter and the prompt usage', () => {
    const sut = translator();
    const out = [
      ...sut.event({
        raw: '',
        data: JSON.stringify({
          promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
          usageMetadata: { promptTokenCount: 9 },
        }),
      }),
      ...sut.end(),
    ];
    expect(choicesOf(out)).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'content_filter' },
    ]);
    expect((out.at(-2) as JsonObject).usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 0 });
  });

  it('finishes a stream that ended without a finish reason, and ignores comments and unreadable events', () => {
    const sut = translator();
    const out = [
      ...sut.event({ raw: ': keep-alive\n\n', data: null }),
      ...sut.event({ raw: 'data: {oops\n\n', data: '{oops' }),
      ...sut.event({ raw: '', data: JSON.stringify({ candidates: [{ content: { parts: [{ text: 'Hi' }] } }] }) }),
      ...sut.end(),
    ];
    expect(choicesOf(out).map((choice) => choice.finish_reason)).toEqual([null, 'stop']);
    expect(out.at(-1)).toBe('[DONE]');
  });
});
