import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import type { CanonicalRequest } from '../../provider-adapter.js';
import { geminiAdapter } from './gemini.adapter.js';
import {
  BLOCKED_PROMPT_RESPONSE,
  FUNCTION_CALL_RESPONSE,
  PARALLEL_CALLS_RESPONSE,
  TEXT_RESPONSE,
  TWO_CANDIDATES_RESPONSE,
} from './gemini.fixtures.js';

const request: CanonicalRequest = {
  endpoint: 'chat.completions',
  target: { baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 'AIzaSy-test-key', apiVersion: null },
  upstreamModel: 'gemini-2.5-flash',
  stream: false,
  body: { model: 'gemini-flash', messages: [{ role: 'user', content: 'Hi' }] },
  openAiBytes: () => '',
  defaultMaxTokens: 4096,
  contentType: 'application/json',
  nativeHeaders: {},
};

const answer = (json: unknown): JsonObject => {
  const translated = geminiAdapter.answer(request, structuredClone(json) as JsonObject);
  if (translated === null) throw new Error('a Gemini answer is always translated');
  return translated;
};

describe('gemini chat answer', () => {
  it("turns a text candidate into a chat.completion, thoughts counted in the output's usage", () => {
    const completion = answer(TEXT_RESPONSE);
    expect(completion).toEqual({
      id: 'chatcmpl-mTxraNDQBc2t1MkP8_HxmQs',
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'AI learns patterns from data to make predictions or decisions.',
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 8,
        completion_tokens: 1004,
        total_tokens: 1012,
        prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 992 },
      },
    });
    expect(Math.abs((completion.created as number) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('turns function calls into tool calls with ids, JSON arguments and the thought signature', () => {
    const completion = answer(FUNCTION_CALL_RESPONSE);
    const choice = (completion.choices as JsonObject[])[0];
    expect(choice).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: expect.stringMatching(/^call_[A-Za-z0-9_-]{16}$/),
            type: 'function',
            function: {
              name: 'schedule_meeting',
              arguments: '{"attendees":["Bob","Alice"],"date":"2025-03-14","time":"10:00","topic":"Q3 planning"}',
            },
            extra_content: { google: { thought_signature: 'CiQB0e2Kb7xQ1c9fQ2bWm3D' } },
          },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 111,
      completion_tokens: 99,
      total_tokens: 210,
      prompt_tokens_details: { cached_tokens: 64, cache_write_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 69 },
    });
  });

  it('gives parallel calls distinct ids, the signature only where Gemini put one', () => {
    const calls = ((answer(PARALLEL_CALLS_RESPONSE).choices as JsonObject[])[0].message as JsonObject)
      .tool_calls as JsonObject[];
    expect(calls.map((call) => (call.function as JsonObject).name)).toEqual(['power_disco_ball', 'start_music']);
    expect(calls[0].id).not.toBe(calls[1].id);
    expect(calls[0]).toHaveProperty('extra_content');
    expect(calls[1]).not.toHaveProperty('extra_content');
  });

  it("uses Gemini's own function call id when it sends one", () => {
    const json = structuredClone(FUNCTION_CALL_RESPONSE) as JsonObject;
    const part = ((json.candidates as JsonObject[])[0].content as { parts: JsonObject[] }).parts[0];
    (part.functionCall as JsonObject).id = 'ae2gk1ty';
    const call = (((answer(json).choices as JsonObject[])[0].message as JsonObject).tool_calls as JsonObject[])[0];
    expect(call.id).toBe('ae2gk1ty');
  });

  it('maps MAX_TOKENS to length and the recitation filter to content_filter, one choice per candidate', () => {
    const choices = answer(TWO_CANDIDATES_RESPONSE).choices as JsonObject[];
    expect(
      choices.map((choice) => [choice.index, (choice.message as JsonObject).content, choice.finish_reason]),
    ).toEqual([
      [0, 'Once upon a', 'length'],
      [1, '', 'content_filter'],
    ]);
  });

  it('drops thought summaries from the content', () => {
    const completion = answer({
      candidates: [
        {
          content: {
            parts: [{ text: 'Weighing the options…', thought: true }, { text: 'Take the train.' }],
            role: 'model',
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, thoughtsTokenCount: 20, totalTokenCount: 27 },
    });
    expect(((completion.choices as JsonObject[])[0].message as JsonObject).content).toBe('Take the train.');
  });

  it('answers a blocked prompt with an empty choice finished by content_filter, and the prompt usage', () => {
    const completion = answer(BLOCKED_PROMPT_RESPONSE);
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: 'content_filter',
      },
    ]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 0, total_tokens: 9 });
    expect(completion.id).toMatch(/^chatcmpl-/);
  });

  it('leaves usage out when Gemini reported none, so the edge counts it', () => {
    const json = structuredClone(TEXT_RESPONSE) as JsonObject;
    delete json.usageMetadata;
    expect(answer(json)).not.toHaveProperty('usage');
  });
});
