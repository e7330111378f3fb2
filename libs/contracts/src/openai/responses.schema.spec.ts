import { describe, expect, it } from '@jest/globals';
import { compile } from '../schema/validator.js';
import { ResponseObject, ResponsesRequest } from './responses.schema.js';

const sut = compile(ResponsesRequest);
const problemOf = (body: unknown) => {
  const checked = sut.check(body);
  return checked.ok ? null : checked.problem;
};

describe('ResponsesRequest', () => {
  // The examples of OpenAI's API reference for POST /v1/responses.
  it.each([
    ['text input', { model: 'gpt-4.1', input: 'Tell me a three sentence bedtime story about a unicorn.' }],
    [
      'image input',
      {
        model: 'gpt-4.1',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'what is in this image?' },
              { type: 'input_image', image_url: 'https://example.com/boardwalk.jpg' },
            ],
          },
        ],
      },
    ],
    ['web search', { model: 'gpt-4.1', tools: [{ type: 'web_search_preview' }], input: 'A positive news story?' }],
    ['streaming', { model: 'gpt-4.1', instructions: 'You are a helpful assistant.', input: 'Hello!', stream: true }],
    [
      'functions',
      {
        model: 'gpt-4.1',
        input: 'What is the weather like in Boston today?',
        tools: [{ type: 'function', name: 'get_current_weather', parameters: { type: 'object', properties: {} } }],
        tool_choice: 'auto',
      },
    ],
    ['reasoning', { model: 'o3-mini', input: 'How much wood would a woodchuck chuck?', reasoning: { effort: 'high' } }],
    ['a follow-up', { model: 'gpt-4.1', previous_response_id: 'resp_123', input: 'And then?', store: true }],
  ])('accepts the documented example "%s"', (_name, body) => {
    expect(problemOf(body)).toBeNull();
  });

  it('passes every field it does not declare through, at any depth', () => {
    const body = {
      model: 'm',
      input: [{ type: 'function_call_output', call_id: 'c', output: '1', extra: true }],
      include: ['reasoning.encrypted_content'],
      truncation: 'auto',
      text: { format: { type: 'json_schema', name: 'x', schema: {} }, verbosity: 'low' },
      some_new_parameter: { anything: [1, 'two'] },
    };
    expect(sut.check(body)).toEqual({ ok: true, value: body });
  });

  it('takes null for every optional field, as OpenAI does', () => {
    const optional = [
      'input',
      'instructions',
      'stream',
      'max_output_tokens',
      'tools',
      'tool_choice',
      'text',
      'reasoning',
      'temperature',
      'top_p',
      'metadata',
      'previous_response_id',
      'store',
    ];
    expect(problemOf({ model: 'm', ...Object.fromEntries(optional.map((field) => [field, null])) })).toBeNull();
  });

  it.each([
    [{ input: 'x' }, 'model', 'model is required'],
    [{ model: '', input: 'x' }, 'model', 'model must not be empty'],
    [{ model: 'm', input: 5 }, 'input', 'input must be a string or an array of input items'],
    [{ model: 'm', input: ['hi'] }, 'input', 'input must be a string or an array of input items'],
    [{ model: 'm', input: 'x', instructions: ['a'] }, 'instructions', 'instructions must be a string'],
    [{ model: 'm', input: 'x', stream: 'yes' }, 'stream', 'stream must be a boolean'],
    [{ model: 'm', input: 'x', max_output_tokens: 0 }, 'max_output_tokens', 'max_output_tokens must be at least 1'],
    [{ model: 'm', input: 'x', max_output_tokens: 1.5 }, 'max_output_tokens', 'max_output_tokens must be an integer'],
    [{ model: 'm', input: 'x', tools: {} }, 'tools', 'tools must be an array'],
    [{ model: 'm', input: 'x', tool_choice: 3 }, 'tool_choice', 'tool_choice must be a string or an object'],
    [{ model: 'm', input: 'x', text: 'json' }, 'text', 'text must be an object'],
    [{ model: 'm', input: 'x', reasoning: 'high' }, 'reasoning', 'reasoning must be an object'],
    [{ model: 'm', input: 'x', temperature: '0.2' }, 'temperature', 'temperature must be a number'],
    [
      { model: 'm', input: 'x', previous_response_id: 7 },
      'previous_response_id',
      'previous_response_id must be a string',
    ],
    [{ model: 'm', input: 'x', store: 'false' }, 'store', 'store must be a boolean'],
  ])('refuses %j naming %s', (body, param, detail) => {
    expect(problemOf(body)).toEqual({ param, detail });
  });
});

describe('ResponseObject', () => {
  const answer = compile(ResponseObject);

  it("accepts the API reference's Response, and one whose usage is still null", () => {
    const response = {
      id: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      object: 'response',
      created_at: 1741476542,
      status: 'completed',
      model: 'gpt-4.1-2025-04-14',
      output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [] }],
      usage: {
        input_tokens: 36,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 87,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 123,
      },
      store: true,
    };
    expect(answer.is(response)).toBe(true);
    expect(answer.is({ ...response, status: 'in_progress', usage: null })).toBe(true);
    expect(answer.is({ ...response, object: 'chat.completion' })).toBe(false);
  });
});
