import { describe, expect, it } from '@jest/globals';
import {
  countChatInput,
  countContentPart,
  countMessage,
  countResponseFormat,
  countToolCalls,
  countTools,
  TOKENS_PER_RESPONSE_FORMAT,
  TOKENS_PER_TOOL,
  TOKENS_PER_TOOL_CALL,
  TOKENS_PER_TOOL_SECTION,
} from './chat-input.js';
import {
  AUDIO_REFERENCE_TOKENS,
  FILE_PART_TOKENS,
  IMAGE_HIGH_DETAIL_TOKENS,
  IMAGE_LOW_DETAIL_TOKENS,
} from './input-allowances.js';
import { countText, InputCount } from './usage-estimate.js';

/** What one counting function adds to an empty count. */
function counting(count: (value: unknown, into: InputCount) => void, value: unknown): InputCount {
  const into = new InputCount();
  count(value, into);
  return into;
}

const t = countText;

const WEATHER_PARAMETERS = {
  type: 'object',
  properties: {
    location: { type: 'string', description: 'City and country, e.g. Bogotá, Colombia' },
    unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
  },
  required: ['location', 'unit'],
  additionalProperties: false,
};
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather for a location',
    parameters: WEATHER_PARAMETERS,
    strict: true,
  },
};
const weatherToolTokens =
  TOKENS_PER_TOOL +
  t('get_weather') +
  t('Get the current weather for a location') +
  t(JSON.stringify(WEATHER_PARAMETERS));

describe(countChatInput.name, () => {
  it('counts every message with the chat format overhead: 3 for the reply, 4 a message', () => {
    const body = {
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    };
    expect(countChatInput(body)).toEqual({
      counted: 3 + 4 + t('You are a helpful assistant.') + 4 + t('What is the capital of France?'),
      allowed: 0,
    });
  });

  it('counts a tool-calling conversation: definitions, the call, the result, and a forced tool choice', () => {
    const toolChoice = { type: 'function', function: { name: 'get_weather' } };
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'What is the weather like in Paris today?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_12345xyz',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"Paris, France","unit":"celsius"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_12345xyz', content: '{"temperature":14,"conditions":"light rain"}' },
      ],
      tools: [WEATHER_TOOL],
      tool_choice: toolChoice,
    };
    const messages =
      3 +
      (4 + t('What is the weather like in Paris today?')) +
      (4 + TOKENS_PER_TOOL_CALL + t('get_weather') + t('{"location":"Paris, France","unit":"celsius"}')) +
      (4 + t('{"temperature":14,"conditions":"light rain"}') + t('call_12345xyz'));
    expect(countChatInput(body)).toEqual({
      counted: messages + TOKENS_PER_TOOL_SECTION + weatherToolTokens + t(JSON.stringify(toolChoice)),
      allowed: 0,
    });
  });

  it('counts a json_schema response format, and images as allowances', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe these two pictures.' },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==', detail: 'low' } },
          ],
        },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'description', strict: true, schema } },
    };
    expect(countChatInput(body)).toEqual({
      counted:
        3 +
        4 +
        t('Describe these two pictures.') +
        TOKENS_PER_RESPONSE_FORMAT +
        t('description') +
        t(JSON.stringify(schema)),
      allowed: IMAGE_HIGH_DETAIL_TOKENS + IMAGE_LOW_DETAIL_TOKENS,
    });
  });

  it('counts nothing it cannot read, and never throws on what a pass-through body may hold', () => {
    const junk = {
      messages: [null, 7, 'hi', { role: 'user', content: 42, name: 3, tool_calls: 'x' }, { role: 'user' }],
      tools: [null, 'tool'],
      functions: {},
      tool_choice: 'auto',
      response_format: { type: 'json_schema', json_schema: 'nope' },
    };
    expect(countChatInput(junk)).toEqual({ counted: 3 + 4 + 4 + TOKENS_PER_TOOL_SECTION, allowed: 0 });
    expect(countChatInput({})).toEqual({ counted: 0, allowed: 0 });
  });
});

describe(countMessage.name, () => {
  it("counts a name (one token more), a refusal, and holds an assistant's earlier audio as an allowance", () => {
    expect(counting(countMessage, { role: 'user', name: 'alice', content: 'Hi' })).toEqual({
      counted: 4 + t('alice') + 1 + t('Hi'),
      allowed: 0,
    });
    expect(counting(countMessage, { role: 'assistant', content: null, refusal: 'I cannot help with that.' })).toEqual({
      counted: 4 + t('I cannot help with that.'),
      allowed: 0,
    });
    expect(counting(countMessage, { role: 'assistant', content: null, audio: { id: 'audio_abc123' } })).toEqual({
      counted: 4,
      allowed: AUDIO_REFERENCE_TOKENS,
    });
  });

  it("counts the legacy function_call like a tool call, and a tool result's array content", () => {
    const call = { name: 'lookup', arguments: '{"q":"tollgate"}' };
    expect(counting(countMessage, { role: 'assistant', content: null, function_call: call })).toEqual({
      counted: 4 + TOKENS_PER_TOOL_CALL + t('lookup') + t('{"q":"tollgate"}'),
      allowed: 0,
    });
    const result = { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'sunny, 21 °C' }] };
    expect(counting(countMessage, result).counted).toBe(4 + t('sunny, 21 °C') + t('call_1'));
  });
});

describe(countContentPart.name, () => {
  it('counts text and refusal parts', () => {
    expect(counting(countContentPart, { type: 'text', text: 'Hello there' })).toEqual({
      counted: t('Hello there'),
      allowed: 0,
    });
    expect(counting(countContentPart, { type: 'refusal', refusal: 'No.' }).counted).toBe(t('No.'));
  });

  it('holds images by detail, audio by size, files at the file allowance', () => {
    expect(counting(countContentPart, { type: 'image_url', image_url: { url: 'https://x.test/a.png' } })).toEqual({
      counted: 0,
      allowed: IMAGE_HIGH_DETAIL_TOKENS,
    });
    expect(
      counting(countContentPart, { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'low' } })
        .allowed,
    ).toBe(85);
    // 4,000 bytes of MP3: at most one second at 32 kbit/s.
    const mp3 = { type: 'input_audio', input_audio: { data: Buffer.alloc(4000).toString('base64'), format: 'mp3' } };
    expect(counting(countContentPart, mp3).allowed).toBe(10);
    const pdf = { type: 'file', file: { filename: 'report.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } };
    expect(counting(countContentPart, pdf).allowed).toBe(FILE_PART_TOKENS);
    expect(counting(countContentPart, { type: 'file', file: { file_id: 'file-abc' } }).allowed).toBe(FILE_PART_TOKENS);
  });

  it('counts the text of a part of an unknown type, or else holds a token per 4 characters of it', () => {
    expect(counting(countContentPart, { type: 'input_text', text: 'Hello there' }).counted).toBe(t('Hello there'));
    const unknown = { type: 'video_url', video_url: { url: 'https://x.test/v.mp4' } };
    expect(counting(countContentPart, unknown)).toEqual({
      counted: 0,
      allowed: Math.ceil(JSON.stringify(unknown).length / 4),
    });
  });
});

describe(countToolCalls.name, () => {
  it("counts each call's name and arguments, custom tools' input too", () => {
    const calls = [
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Oslo"}' } },
      { id: 'call_b', type: 'custom', custom: { name: 'run_sql', input: 'SELECT 1' } },
    ];
    expect(counting(countToolCalls, calls).counted).toBe(
      2 * TOKENS_PER_TOOL_CALL + t('get_weather') + t('{"location":"Oslo"}') + t('run_sql') + t('SELECT 1'),
    );
  });
});

describe(countTools.name, () => {
  it('counts function tools by name, description and serialised schema, plus the stated overheads', () => {
    expect(counting(countTools, [WEATHER_TOOL])).toEqual({
      counted: TOKENS_PER_TOOL_SECTION + weatherToolTokens,
      allowed: 0,
    });
  });

  it('counts the legacy `functions`, and serialises a tool of another type whole', () => {
    expect(counting(countTools, [WEATHER_TOOL.function]).counted).toBe(TOKENS_PER_TOOL_SECTION + weatherToolTokens);
    const custom = { type: 'custom', custom: { name: 'run_sql', description: 'Runs one SQL query' } };
    expect(counting(countTools, [custom]).counted).toBe(
      TOKENS_PER_TOOL_SECTION + TOKENS_PER_TOOL + t(JSON.stringify(custom)),
    );
    expect(counting(countTools, []).counted).toBe(0);
  });
});

describe(countResponseFormat.name, () => {
  it('counts a json_schema format, and nothing for text or json_object', () => {
    const format = {
      type: 'json_schema',
      json_schema: { name: 'math_answer', description: 'The answer', schema: { type: 'number' } },
    };
    expect(counting(countResponseFormat, format).counted).toBe(
      TOKENS_PER_RESPONSE_FORMAT + t('math_answer') + t('The answer') + t('{"type":"number"}'),
    );
    expect(counting(countResponseFormat, { type: 'json_object' }).counted).toBe(0);
    expect(counting(countResponseFormat, { type: 'text' }).counted).toBe(0);
  });
});
