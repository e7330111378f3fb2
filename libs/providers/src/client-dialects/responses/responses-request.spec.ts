import { describe, expect, it } from '@jest/globals';
import { DenialException } from '@tollgate/errors';
import type { JsonObject } from '../../json.js';
import { chatBodyOf } from './responses-request.js';
import { REQUESTS, WEATHER_TOOL } from './responses.fixtures.js';

/** The param and detail of the 400 toChat refuses `body` with. */
function refusal(body: JsonObject): { param?: unknown; detail?: unknown } {
  try {
    chatBodyOf(body);
  } catch (error) {
    expect(error).toBeInstanceOf(DenialException);
    const params = (error as DenialException).denial.params ?? {};
    return { param: params.param, detail: params.detail };
  }
  throw new Error('expected a refusal');
}

describe(chatBodyOf.name, () => {
  it('sends a string input as one user message, the model passed through', () => {
    expect(chatBodyOf(REQUESTS.text)).toEqual({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'Tell me a three sentence bedtime story about a unicorn.' }],
    });
  });

  it('puts instructions first as a system message and keeps stream', () => {
    expect(chatBodyOf(REQUESTS.streaming)).toEqual({
      model: 'gpt-4.1',
      stream: true,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Hello!' },
      ],
    });
  });

  it("turns input_text and input_image parts into chat's text and image_url parts", () => {
    const chat = chatBodyOf(REQUESTS.image);
    expect(chat.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is in this image?' },
          { type: 'image_url', image_url: { url: REQUESTS.image.input[0].content[1].image_url } },
        ],
      },
    ]);
    const detailed = chatBodyOf({
      model: 'm',
      input: [
        { role: 'user', content: [{ type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] },
      ],
    });
    expect(detailed.messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }],
      },
    ]);
  });

  it('nests function tools as chat does and keeps the tool choice', () => {
    const chat = chatBodyOf({ ...REQUESTS.functions, tools: [{ ...WEATHER_TOOL, strict: true }] });
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_current_weather',
          description: 'Get the current weather in a given location',
          parameters: WEATHER_TOOL.parameters,
          strict: true,
        },
      },
    ]);
    expect(chat.tool_choice).toBe('auto');
  });

  it.each([
    ['none', 'none'],
    ['required', 'required'],
    [
      { type: 'function', name: 'get_current_weather' },
      { type: 'function', function: { name: 'get_current_weather' } },
    ],
    [
      { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'get_current_weather' }] },
      {
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_current_weather' } }] },
      },
    ],
  ])('translates tool_choice %j', (choice, expected) => {
    expect(chatBodyOf({ ...REQUESTS.functions, tool_choice: choice }).tool_choice).toEqual(expected);
  });

  it('leaves a tool choice behind when no tools are offered, which chat would refuse', () => {
    expect(chatBodyOf({ ...REQUESTS.text, tool_choice: 'auto' })).not.toHaveProperty('tool_choice');
  });

  it('merges consecutive function calls into one assistant message and answers them with tool messages', () => {
    const chat = chatBodyOf({
      model: 'gpt-4.1',
      input: [
        { role: 'user', content: 'Weather in Paris and Bogotá?' },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAA…' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_2', name: 'get_weather', arguments: '{"city":"Bogotá"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '14.2' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: '25' }] },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Bogotá?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bogotá"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '14.2' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '25' }] },
    ]);
  });

  it("translates the function calling guide's second turn", () => {
    expect(chatBodyOf(REQUESTS.functionResult).messages).toEqual([
      { role: 'user', content: "What's the weather like in Paris today?" },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_12345xyz',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"latitude":48.8566,"longitude":2.3522}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_12345xyz', content: '14.2' },
    ]);
  });

  it("reads an earlier answer's message item: output_text as content, a refusal as chat's refusal, its text joined by a call", () => {
    const chat = chatBodyOf({
      model: 'm',
      input: [
        { role: 'developer', content: [{ type: 'input_text', text: 'Be brief.' }] },
        { role: 'user', content: 'Hi' },
        {
          type: 'message',
          id: 'msg_1',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Checking.', annotations: [] }],
        },
        { type: 'function_call', call_id: 'call_9', name: 'lookup', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_9', output: 'nothing' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] },
      ],
    });
    expect(chat.messages).toEqual([
      { role: 'developer', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: 'Hi' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_9', content: 'nothing' },
      { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
    ]);
  });

  it('sends inline file data as a chat file part', () => {
    const chat = chatBodyOf({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_file', filename: 'draconomicon.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' },
          ],
        },
      ],
    });
    expect(chat.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'draconomicon.pdf' } },
        ],
      },
    ]);
  });

  it('maps the output cap, the reasoning effort, the output formats and the fields chat shares', () => {
    const chat = chatBodyOf({
      ...REQUESTS.reasoning,
      reasoning: { effort: 'high', summary: 'auto' },
      max_output_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      metadata: { team: 'search' },
      user: 'user-1234',
      parallel_tool_calls: false,
      service_tier: 'flex',
      prompt_cache_key: 'k1',
      safety_identifier: 'h-42',
      store: false,
      background: false,
      truncation: 'disabled',
      include: ['reasoning.encrypted_content'],
      stream_options: { include_obfuscation: false },
      text: {
        format: {
          type: 'json_schema',
          name: 'wood',
          description: 'An estimate',
          schema: { type: 'object', properties: { pounds: { type: 'number' } }, required: ['pounds'] },
          strict: true,
        },
        verbosity: 'low',
      },
    });
    expect(chat).toEqual({
      model: 'o3-mini',
      messages: [{ role: 'user', content: 'How much wood would a woodchuck chuck?' }],
      reasoning_effort: 'high',
      max_completion_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      metadata: { team: 'search' },
      user: 'user-1234',
      parallel_tool_calls: false,
      service_tier: 'flex',
      prompt_cache_key: 'k1',
      safety_identifier: 'h-42',
      verbosity: 'low',
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'wood',
          description: 'An estimate',
          schema: { type: 'object', properties: { pounds: { type: 'number' } }, required: ['pounds'] },
          strict: true,
        },
      },
    });
    expect(chatBodyOf({ ...REQUESTS.text, text: { format: { type: 'json_object' } } }).response_format).toEqual({
      type: 'json_object',
    });
    expect(chatBodyOf({ ...REQUESTS.text, text: { format: { type: 'text' } } })).not.toHaveProperty('response_format');
  });

  it.each([
    [{ previous_response_id: 'resp_123' }, 'previous_response_id'],
    [{ conversation: 'conv_123' }, 'conversation'],
    [{ background: true }, 'background'],
    [{ store: true }, 'store'],
    [{ prompt: { id: 'pmpt_123', version: '2' } }, 'prompt'],
    [{ truncation: 'auto' }, 'truncation'],
    [{ include: ['reasoning.encrypted_content', 'message.output_text.logprobs'] }, 'include[1]'],
    [{ max_tool_calls: 3 }, 'max_tool_calls'],
    [{ top_logprobs: 2 }, 'top_logprobs'],
    [{ tools: [WEATHER_TOOL, WEATHER_TOOL, { type: 'web_search' }] }, 'tools[2].type'],
    [{ tool_choice: { type: 'file_search' } }, 'tool_choice.type'],
    [{ text: { format: { type: 'grammar' } } }, 'text.format.type'],
  ])('refuses %j, which only a native channel can serve, naming %s', (fields, param) => {
    const result = refusal({ ...REQUESTS.text, ...fields });
    expect(result.param).toBe(param);
    expect(result.detail).toContain('natively');
  });

  it('refuses the documented built-in tool requests naming the tool type', () => {
    expect(refusal(REQUESTS.webSearch).param).toBe('tools[0].type');
    expect(refusal(REQUESTS.fileSearch).param).toBe('tools[0].type');
  });

  it.each([
    [{ model: 'm' }, 'input', 'input is required'],
    [{ model: 'm', input: 7 }, 'input', 'input must be a string or an array of input items'],
    [{ model: 'm', input: ['hi'] }, 'input[0]', 'input[0] must be an object'],
    [{ model: 'm', input: [{ role: 'tool', content: 'x' }] }, 'input[0].role', undefined],
    [{ model: 'm', input: [{ role: 'user', content: 3 }] }, 'input[0].content', undefined],
    [
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text' }] }] },
      'input[0].content[0].text',
      'input[0].content[0].text must be a string',
    ],
    [
      { model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] },
      'input[0].call_id',
      'input[0].call_id must be a string',
    ],
    [{ model: 'm', input: 'x', instructions: 5 }, 'instructions', 'instructions must be a string'],
    [{ model: 'm', input: 'x', tools: [{ type: 'function' }] }, 'tools[0].name', 'tools[0].name must be a string'],
    [{ model: 'm', input: 'x', tool_choice: 'sometimes' }, 'tool_choice', undefined],
    [{ model: 'm', input: 'x', store: 'no' }, 'store', 'store must be a boolean'],
    [{ model: 'm', input: 'x', text: { format: { type: 'json_schema', schema: {} } } }, 'text.format.name', undefined],
  ])('refuses the malformed %j naming %s', (body, param, detail) => {
    const result = refusal(body);
    expect(result.param).toBe(param);
    if (detail !== undefined) expect(result.detail).toBe(detail);
  });
});
