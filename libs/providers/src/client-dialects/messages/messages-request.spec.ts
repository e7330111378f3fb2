import { describe, expect, it } from '@jest/globals';
import { DenialException } from '@tollgate/errors';
import type { JsonObject } from '../../json.js';
import { chatBodyOf } from './messages-request.js';
import {
  BASIC_REQUEST,
  CACHED_SYSTEM_REQUEST,
  IMAGE_REQUEST,
  PDF_REQUEST,
  THINKING_REQUEST,
  TOOL_RESULT_REQUEST,
  WEATHER_TOOL,
} from './messages.fixtures.js';

const sut = chatBodyOf;
const user = (content: unknown) => ({ role: 'user', content });
const body = (fields: JsonObject): JsonObject => ({ ...BASIC_REQUEST, ...fields });

/** The refusal's param and detail; fails when the body translates. */
function refusal(request: JsonObject): { param?: string; detail?: string } {
  try {
    sut(request);
  } catch (error) {
    if (!(error instanceof DenialException)) throw error;
    expect(error.denial.reason).toBe('invalid_request');
    return { param: error.denial.params?.param, detail: error.denial.params?.detail };
  }
  throw new Error('the body was not refused');
}

describe(chatBodyOf.name, () => {
  it('translates the basic request: the model, the cap as max_completion_tokens, the user message', () => {
    expect(sut(BASIC_REQUEST)).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hello, world' }],
      max_completion_tokens: 1024,
    });
  });

  it('puts the system prompt first: a string as it is, text blocks as parts without their cache markers', () => {
    expect(sut(body({ system: 'You are a seasoned data scientist.' })).messages).toEqual([
      { role: 'system', content: 'You are a seasoned data scientist.' },
      { role: 'user', content: 'Hello, world' },
    ]);
    expect((sut(CACHED_SYSTEM_REQUEST).messages as JsonObject[])[0]).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'You are an AI assistant tasked with analyzing literary works.' },
        { type: 'text', text: '<the entire contents of Pride and Prejudice>' },
      ],
    });
    expect((sut(body({ system: [{ type: 'text', text: 'Be brief.' }] })).messages as JsonObject[])[0]).toEqual({
      role: 'system',
      content: 'Be brief.',
    });
  });

  it('sends base64 images as data URLs and URL images as their URL, in the order given', () => {
    expect(sut(IMAGE_REQUEST).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
          {
            type: 'image_url',
            image_url: {
              url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
            },
          },
          { type: 'text', text: 'Describe these images.' },
        ],
      },
    ]);
  });

  it("sends a base64 PDF as chat's file part, and a plain-text document as its titled text", () => {
    expect((sut(PDF_REQUEST).messages as JsonObject[])[0].content).toEqual([
      { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjcK' } },
      { type: 'text', text: 'What are the key findings in this document?' },
    ]);
    const text = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'The grass is green.' } };
    expect(sut(body({ messages: [user([{ ...text, title: 'My Document' }])] })).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'My Document\n\nThe grass is green.' }] },
    ]);
  });

  it('turns tool calls into tool_calls, and results into tool messages before the user text, errors marked', () => {
    const chat = sut(TOOL_RESULT_REQUEST);
    expect(chat.messages).toEqual([
      { role: 'user', content: "What's the weather like in San Francisco and New York?" },
      {
        role: 'assistant',
        content: "I'll check the weather in both cities.",
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' },
          },
          {
            id: 'toolu_01B19q90qw90lq917835lq8',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"New York, NY"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees' },
      {
        role: 'tool',
        tool_call_id: 'toolu_01B19q90qw90lq917835lq8',
        content: 'Error: ConnectionError: the weather service API is not available (HTTP 500)',
      },
      { role: 'user', content: [{ type: 'text', text: 'What should I wear?' }] },
    ]);
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          parameters: WEATHER_TOOL.input_schema,
        },
      },
    ]);
  });

  it('takes tool results as text blocks, and moves the images a tool returned into a user message after it', () => {
    const screenshot = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
    const messages = sut(
      body({
        messages: [
          user('Take a screenshot'),
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'screenshot', input: {} }] },
          user([
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [{ type: 'text', text: 'Captured.' }, screenshot],
            },
          ]),
        ],
      }),
    ).messages as JsonObject[];
    expect(messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'toolu_1', content: [{ type: 'text', text: 'Captured.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Images returned by tool call toolu_1:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
      },
    ]);
    expect((messages[1].tool_calls as JsonObject[])[0]).toMatchObject({ function: { arguments: '{}' } });
  });

  it("drops the assistant's thinking and redacted thinking, keeping its text, and asks for the effort its budget reads as", () => {
    const chat = sut(THINKING_REQUEST);
    expect((chat.messages as JsonObject[])[1]).toEqual({
      role: 'assistant',
      content: 'Yes, there are infinitely many such primes.',
    });
    expect(chat.reasoning_effort).toBe('high');
  });

  it.each([
    [1024, 'low'],
    [2047, 'low'],
    [2048, 'medium'],
    [4000, 'medium'],
    [4096, 'high'],
    [31999, 'high'],
  ])('reads a thinking budget of %i tokens as reasoning_effort %s', (budget, effort) => {
    expect(sut(body({ thinking: { type: 'enabled', budget_tokens: budget } })).reasoning_effort).toBe(effort);
  });

  it('leaves the effort to the model for disabled or adaptive thinking, and takes output_config.effort as given', () => {
    expect(sut(body({ thinking: { type: 'disabled' } }))).not.toHaveProperty('reasoning_effort');
    expect(sut(body({ thinking: { type: 'adaptive' } }))).not.toHaveProperty('reasoning_effort');
    expect(sut(body({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } })).reasoning_effort).toBe(
      'low',
    );
    expect(sut(body({ output_config: { effort: 'max' } })).reasoning_effort).toBe('xhigh');
  });

  it('translates tool_choice, and disable_parallel_tool_use as parallel_tool_calls false', () => {
    const withTools = (tool_choice: unknown) => sut(body({ tools: [WEATHER_TOOL], tool_choice }));
    expect(withTools({ type: 'auto' }).tool_choice).toBe('auto');
    expect(withTools({ type: 'none' }).tool_choice).toBe('none');
    expect(withTools({ type: 'any', disable_parallel_tool_use: true })).toMatchObject({
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(withTools({ type: 'tool', name: 'get_weather' }).tool_choice).toEqual({
      type: 'function',
      function: { name: 'get_weather' },
    });
    expect(withTools({ type: 'auto', disable_parallel_tool_use: false })).not.toHaveProperty('parallel_tool_calls');
    // OpenAI takes parallel_tool_calls only with tools.
    expect(sut(body({ tool_choice: { type: 'auto', disable_parallel_tool_use: true } }))).not.toHaveProperty(
      'parallel_tool_calls',
    );
  });

  it('carries the sampling, stop sequences, end user, structured output and stream; top_k as top_k', () => {
    const chat = sut(
      body({
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['\n\nHuman:'],
        metadata: { user_id: '13803d75-b4b5-4c3e-b2a2-6f21399b021b' },
        output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: {} } } },
        stream: true,
        service_tier: 'auto',
      }),
    );
    expect(chat).toEqual({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hello, world' }],
      max_completion_tokens: 1024,
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      stop: ['\n\nHuman:'],
      user: '13803d75-b4b5-4c3e-b2a2-6f21399b021b',
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'output', schema: { type: 'object', properties: {} }, strict: true },
      },
      stream: true,
    });
  });

  it.each([
    [{ container: 'container_011CQUJ' }, 'container'],
    [{ tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] }, 'tools[0].type'],
    [{ tools: [{ type: 'bash_20250124', name: 'bash' }] }, 'tools[0].type'],
    [{ thinking: { type: 'enabled', budget_tokens: 512 } }, 'thinking.budget_tokens'],
    [{ thinking: { type: 'sometimes' } }, 'thinking.type'],
    [{ tool_choice: { type: 'required' } }, 'tool_choice.type'],
    [{ stop_sequences: 'STOP' }, 'stop_sequences'],
    [{ top_k: '40' }, 'top_k'],
    [{ metadata: { user_id: 7 } }, 'metadata.user_id'],
    [{ output_config: { format: { type: 'json_object' } } }, 'output_config.format.type'],
    [{ system: [{ type: 'image' }] }, 'system[0].type'],
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role'],
    [{ messages: [user('Hi'), { role: 'assistant', content: 'The answer is (' }] }, 'messages[1]'],
    [{ messages: [user([{ type: 'search_result', source: 'x' }])] }, 'messages[0].content[0].type'],
    [
      { messages: [user([{ type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } }])] },
      'messages[0].content[0].source.type',
    ],
    [
      {
        messages: [
          user([
            {
              type: 'document',
              source: { type: 'text', media_type: 'text/plain', data: 'x' },
              citations: { enabled: true },
            },
          ]),
        ],
      },
      'messages[0].content[0].citations',
    ],
    [
      { messages: [user([{ type: 'image', source: { type: 'file', file_id: 'file_011' } }])] },
      'messages[0].content[0].source.type',
    ],
    [
      { messages: [user([{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'document' }] }])] },
      'messages[0].content[0].content[0].type',
    ],
  ])('refuses %j naming %s', (fields, param) => {
    expect(refusal(body(fields)).param).toBe(param);
  });
});
