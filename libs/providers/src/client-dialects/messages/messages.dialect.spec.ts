import { describe, expect, it } from '@jest/globals';
import {
  CACHED_USAGE,
  OVERLOADED_STREAM,
  TEXT_MESSAGE,
  THINKING_STREAM,
} from '../../adapters/anthropic/anthropic.fixtures.js';
import type { JsonObject } from '../../json.js';
import { SseEventSplitter } from '../../sse-event-splitter.js';
import { messagesDialect } from './messages.dialect.js';
import { BASIC_REQUEST } from './messages.fixtures.js';

const sut = messagesDialect;

/** A native stream through the tap, as the edge accounts it. */
function tapped(stream: string): Array<JsonObject | '[DONE]'> {
  const tap = sut.nativeStreamTap();
  const out = new SseEventSplitter().push(stream).flatMap((event) => tap.event(event));
  return [...out, ...tap.end()];
}

describe('messagesDialect', () => {
  it('is the messages dialect, native on the messages endpoint', () => {
    expect(sut.name).toBe('messages');
    expect(sut.nativeEndpoint).toBe('messages');
  });

  it("reads a native answer's usage in chat form: prompt_tokens with the cache reads and writes in it", () => {
    expect(sut.nativeUsage({ ...TEXT_MESSAGE, usage: CACHED_USAGE })).toEqual({
      prompt_tokens: 100298,
      completion_tokens: 503,
      total_tokens: 100801,
      prompt_tokens_details: { cached_tokens: 100000, cache_write_tokens: 248 },
    });
    expect(sut.nativeUsage(TEXT_MESSAGE)).toMatchObject({ prompt_tokens: 2095, completion_tokens: 503 });
    expect(sut.nativeUsage({ type: 'message', content: [] })).toBeNull();
  });

  it("taps a native stream for its text and final usage (the anthropic adapter's translator)", () => {
    const chunks = tapped(THINKING_STREAM);
    const text = chunks
      .flatMap((c) => (c === '[DONE]' ? [] : ((c.choices as JsonObject[] | undefined) ?? [])))
      .map((choice) => (choice.delta as JsonObject).content)
      .filter((content) => typeof content === 'string')
      .join('');
    expect(text).toBe('The GCD is 21.');
    expect(chunks.find((c) => c !== '[DONE]' && c.usage)).toMatchObject({
      usage: { prompt_tokens: 1060, completion_tokens: 240, prompt_tokens_details: { cached_tokens: 1000 } },
    });
    expect(chunks.at(-1)).toBe('[DONE]');
  });

  it("taps a native stream's in-band error as an { error } chunk", () => {
    expect(tapped(OVERLOADED_STREAM)).toContainEqual({
      error: expect.objectContaining({ type: 'overloaded_error', message: 'Overloaded' }) as unknown,
    });
  });

  it('round-trips a request through chat and back to a Message', () => {
    const chat = sut.toChat(BASIC_REQUEST);
    const answer = sut.fromChatAnswer(
      {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        model: chat.model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hi!' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
      },
      BASIC_REQUEST,
    );
    expect(answer).toMatchObject({
      type: 'message',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hi!' }],
    });
  });
});
