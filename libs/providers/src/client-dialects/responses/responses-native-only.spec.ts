import { describe, expect, it } from '@jest/globals';
import { chatBodyOf } from './responses-request.js';
import { nativeOnlyField, withoutNativeOnlyFields } from './responses-native-only.js';
import { REQUESTS, WEATHER_TOOL } from './responses.fixtures.js';

describe(nativeOnlyField.name, () => {
  it.each(Object.entries({ ...REQUESTS, webSearch: undefined, fileSearch: undefined }).filter(([, body]) => body))(
    'lets any channel serve the documented example "%s"',
    (_name, body) => {
      expect(nativeOnlyField(body as never)).toBeNull();
    },
  );

  it('takes the stateful switches when they are off, null or absent', () => {
    expect(
      nativeOnlyField({
        ...REQUESTS.text,
        store: false,
        background: false,
        truncation: 'disabled',
        previous_response_id: null,
        conversation: null,
        prompt: null,
        include: [],
      }),
    ).toBeNull();
  });

  it('names a field newer than the translation, so a native channel serves it', () => {
    expect(nativeOnlyField({ ...REQUESTS.text, context_management: [{ type: 'compaction' }] })).toBe(
      'context_management',
    );
    expect(nativeOnlyField({ ...REQUESTS.text, reasoning: { effort: 'low', mode: 'deep' } })).toBe('reasoning.mode');
    expect(nativeOnlyField({ ...REQUESTS.functions, tools: [{ ...WEATHER_TOOL, defer_loading: true }] })).toBe(
      'tools[0].defer_loading',
    );
  });

  it.each([
    [{ type: 'item_reference', id: 'msg_123' }, 'input[1].type'],
    [{ type: 'web_search_call', id: 'ws_1', status: 'completed' }, 'input[1].type'],
    [
      { role: 'user', content: [{ type: 'input_image', file_id: 'file-123', detail: 'auto' }] },
      'input[1].content[0].file_id',
    ],
    [
      { role: 'user', content: [{ type: 'input_image', image_url: 'https://x/y.png', detail: 'original' }] },
      'input[1].content[0].detail',
    ],
    [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-123' }] }, 'input[1].content[0].file_id'],
    [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x/a.pdf' }] }, 'input[1].content[0].file_url'],
    [{ role: 'system', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] }, 'input[1].content[0].type'],
    [
      { type: 'function_call_output', call_id: 'c', output: [{ type: 'input_image', image_url: 'https://x/y.png' }] },
      'input[1].output[0].type',
    ],
  ])('names the input item %j as %s', (item, param) => {
    expect(nativeOnlyField({ model: 'm', input: [{ role: 'user', content: 'hi' }, item] })).toBe(param);
  });

  it('names a tool choice of a built-in tool, inside an allowed-tools list too', () => {
    expect(nativeOnlyField({ ...REQUESTS.functions, tool_choice: { type: 'web_search_preview' } })).toBe(
      'tool_choice.type',
    );
    const allowed = { type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'f' }, { type: 'mcp' }] };
    expect(nativeOnlyField({ ...REQUESTS.functions, tool_choice: allowed })).toBe('tool_choice.tools[1].type');
  });
});

describe(withoutNativeOnlyFields.name, () => {
  it('keeps what chat can carry, so the hold is counted from a translatable body', () => {
    const body = {
      model: 'gpt-4.1',
      previous_response_id: 'resp_1',
      store: true,
      include: ['file_search_call.results'],
      instructions: 'Be helpful.',
      tools: [{ type: 'web_search' }, { ...WEATHER_TOOL, defer_loading: true }],
      tool_choice: { type: 'web_search' },
      text: { format: { type: 'text' }, verbosity: 'low', future: 1 },
      reasoning: { effort: 'low', future: 2 },
      input: [
        { type: 'item_reference', id: 'msg_1' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look:' },
            { type: 'input_image', file_id: 'file-1' },
          ],
        },
        { role: 'user', content: [{ type: 'input_file', file_id: 'file-2' }] },
      ],
    };
    const kept = withoutNativeOnlyFields(body);
    expect(nativeOnlyField(kept)).toBeNull();
    expect(chatBodyOf(kept)).toEqual({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'Be helpful.' },
        { role: 'user', content: [{ type: 'text', text: 'Look:' }] },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: WEATHER_TOOL.name,
            description: WEATHER_TOOL.description,
            parameters: WEATHER_TOOL.parameters,
          },
        },
      ],
      reasoning_effort: 'low',
      verbosity: 'low',
    });
  });

  it('drops a tool choice naming a function that is not offered', () => {
    const kept = withoutNativeOnlyFields({
      ...REQUESTS.functions,
      previous_response_id: 'resp_1',
      tool_choice: { type: 'function', name: 'not_offered' },
    });
    expect(kept).not.toHaveProperty('tool_choice');
  });
});
