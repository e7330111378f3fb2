import { describe, expect, it } from '@jest/globals';
import { messageOf } from './messages-answer.js';
import { BASIC_REQUEST, CHAT_TOOL_ANSWER, THINKING_REQUEST } from './messages.fixtures.js';

const chatAnswer = (message: object, finish_reason: string | null = 'stop', extra: object = {}) => ({
  id: 'chatcmpl-123',
  object: 'chat.completion',
  created: 1677652288,
  model: 'gpt-4o-mini',
  choices: [
    { index: 0, message: { role: 'assistant', refusal: null, ...message }, logprobs: null, finish_reason, ...extra },
  ],
  usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
});

describe(messageOf.name, () => {
  it('answers a text completion as the Message object', () => {
    expect(messageOf(chatAnswer({ content: 'Hello there, how may I assist you today?' }), BASIC_REQUEST)).toEqual({
      id: 'msg_123',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Hello there, how may I assist you today?' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 9, output_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('answers tool calls as tool_use blocks with toolu_ ids and parsed input; cached tokens out of input_tokens', () => {
    expect(messageOf(CHAT_TOOL_ANSWER, BASIC_REQUEST)).toEqual({
      id: 'msg_B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'text', text: "I'll check the current weather in Boston." },
        { type: 'tool_use', id: 'toolu_abc123', name: 'get_weather', input: { location: 'Boston, MA' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 93, output_tokens: 46, cache_creation_input_tokens: 0, cache_read_input_tokens: 1024 },
    });
  });

  it("counts the gateway's cache writes apart too, so the three input counts add up to chat's prompt_tokens", () => {
    const chat = {
      ...chatAnswer({ content: 'ok' }),
      usage: {
        prompt_tokens: 100398,
        completion_tokens: 503,
        prompt_tokens_details: { cached_tokens: 100000, cache_write_tokens: 248 },
      },
    };
    expect(messageOf(chat, BASIC_REQUEST).usage).toEqual({
      input_tokens: 150,
      output_tokens: 503,
      cache_creation_input_tokens: 248,
      cache_read_input_tokens: 100000,
    });
  });

  it.each([
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['content_filter', 'refusal'],
    ['stop', 'end_turn'],
  ])('maps finish_reason %s to stop_reason %s', (finish, stop) => {
    expect(messageOf(chatAnswer({ content: 'x' }, finish), BASIC_REQUEST).stop_reason).toBe(stop);
  });

  it('names the stop sequence when the upstream says which one it met (vLLM: choice.stop_reason)', () => {
    const request = { ...BASIC_REQUEST, stop_sequences: ['###', 'END'] };
    const answer = messageOf(chatAnswer({ content: 'x' }, 'stop', { stop_reason: 'END' }), request);
    expect(answer).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END' });
    // A stop the client did not ask for (an end-of-text token id) is the natural end.
    expect(messageOf(chatAnswer({ content: 'x' }, 'stop', { stop_reason: 151645 }), request).stop_reason).toBe(
      'end_turn',
    );
  });

  it("answers OpenAI's refusal as a text block with stop_reason refusal", () => {
    const answer = messageOf(
      chatAnswer({ content: null, refusal: "I'm sorry, I can't help with that." }),
      BASIC_REQUEST,
    );
    expect(answer).toMatchObject({
      content: [{ type: 'text', text: "I'm sorry, I can't help with that." }],
      stop_reason: 'refusal',
    });
  });

  it('shows the reasoning as a thinking block only when the client asked for thinking', () => {
    const chat = chatAnswer({ content: 'Yes.', reasoning_content: 'Consider 4k+3 primes…' });
    expect(messageOf(chat, THINKING_REQUEST).content).toEqual([
      { type: 'thinking', thinking: 'Consider 4k+3 primes…', signature: '' },
      { type: 'text', text: 'Yes.' },
    ]);
    expect(messageOf(chat, BASIC_REQUEST).content).toEqual([{ type: 'text', text: 'Yes.' }]);
  });

  it('gives a call whose arguments are no JSON object an empty input, and an answer without usage zero counts', () => {
    const chat = chatAnswer(
      { content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":' } }] },
      'tool_calls',
    );
    delete (chat as { usage?: unknown }).usage;
    const answer = messageOf(chat, BASIC_REQUEST);
    expect(answer.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }]);
    expect(answer.usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });
});
