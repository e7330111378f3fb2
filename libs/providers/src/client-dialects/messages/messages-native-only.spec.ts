import { describe, expect, it } from '@jest/globals';
import { chatBodyOf } from './messages-request.js';
import { nativeOnlyField, withoutNativeOnlyFields } from './messages-native-only.js';
import { BASIC_REQUEST, TOOL_RESULT_REQUEST, WEATHER_TOOL } from './messages.fixtures.js';

const WEB_SEARCH = { type: 'web_search_20250305', name: 'web_search', max_uses: 5 };

/** An assistant turn that used the web search server tool, as the web-search guide shows it. */
const SEARCHED_HISTORY = [
  { role: 'user', content: 'How do I update a web app to TypeScript 5.5?' },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: "I'll search for that." },
      {
        type: 'server_tool_use',
        id: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE',
        name: 'web_search',
        input: { query: 'TypeScript 5.5' },
      },
      {
        type: 'web_search_tool_result',
        tool_use_id: 'srvtoolu_01WYG3ziw53XMcoyKL4XcZmE',
        content: [
          { type: 'web_search_result', url: 'https://devblogs.microsoft.com/typescript/', title: 'TypeScript 5.5' },
        ],
      },
      { type: 'text', text: 'TypeScript 5.5 was announced in June 2024.' },
    ],
  },
  { role: 'user', content: 'Thanks. And 5.6?' },
];

describe(nativeOnlyField.name, () => {
  it('is null for a request any channel may serve', () => {
    expect(nativeOnlyField(BASIC_REQUEST)).toBeNull();
    expect(nativeOnlyField(TOOL_RESULT_REQUEST)).toBeNull();
    expect(
      nativeOnlyField({ ...BASIC_REQUEST, service_tier: 'auto', cache_control: { type: 'ephemeral' } }),
    ).toBeNull();
  });

  it.each([
    [
      {
        ...BASIC_REQUEST,
        mcp_servers: [{ type: 'url', url: 'https://example-server.modelcontextprotocol.io/sse', name: 'example-mcp' }],
      },
      'mcp_servers',
    ],
    [{ ...BASIC_REQUEST, context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] } }, 'context_management'],
    [{ ...BASIC_REQUEST, a_field_from_next_month: true }, 'a_field_from_next_month'],
    [{ ...BASIC_REQUEST, tools: [WEATHER_TOOL, WEB_SEARCH] }, 'tools[1].type'],
    [{ ...BASIC_REQUEST, tools: [{ ...WEATHER_TOOL, defer_loading: true }] }, 'tools[0].defer_loading'],
    [{ ...BASIC_REQUEST, messages: SEARCHED_HISTORY }, 'messages[1].content[1].type'],
    [
      {
        ...BASIC_REQUEST,
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'document',
                source: {
                  type: 'url',
                  url: 'https://assets.anthropic.com/m/1cd9d098ac3e6467/original/Claude-3-Model-Card-October-Addendum.pdf',
                },
              },
            ],
          },
        ],
      },
      'messages[0].content[0].source.type',
    ],
    [
      {
        ...BASIC_REQUEST,
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: '{' },
        ],
      },
      'messages[1]',
    ],
  ])('names what only Anthropic can serve: %j → %s', (body, field) => {
    expect(nativeOnlyField(body)).toBe(field);
  });
});

describe(withoutNativeOnlyFields.name, () => {
  it('leaves a request chat can take, the server tools, their history blocks and tool_choice gone', () => {
    const body = {
      ...BASIC_REQUEST,
      container: 'container_011CQUJ',
      tools: [WEATHER_TOOL, WEB_SEARCH],
      tool_choice: { type: 'tool', name: 'web_search' },
      messages: SEARCHED_HISTORY,
    };
    const left = withoutNativeOnlyFields(body);
    expect(nativeOnlyField(left)).toBeNull();
    expect(left).not.toHaveProperty('container');
    expect(left).not.toHaveProperty('tool_choice');
    expect(left.tools).toEqual([WEATHER_TOOL]);
    expect(chatBodyOf(left).messages).toEqual([
      { role: 'user', content: 'How do I update a web app to TypeScript 5.5?' },
      { role: 'assistant', content: "I'll search for that.TypeScript 5.5 was announced in June 2024." },
      { role: 'user', content: 'Thanks. And 5.6?' },
    ]);
    // The client's body is not changed: the native channel gets it as it came.
    expect(body.messages[1].content).toHaveLength(4);
  });

  it('leaves out a prefill and a tool field newer than the translation, keeping a tool_choice for a kept tool', () => {
    const left = withoutNativeOnlyFields({
      ...BASIC_REQUEST,
      tools: [{ ...WEATHER_TOOL, input_examples: [{ location: 'Paris' }] }],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [
        { role: 'user', content: 'Weather in Paris as JSON?' },
        { role: 'assistant', content: '{' },
      ],
    });
    expect(left.tools).toEqual([WEATHER_TOOL]);
    expect(left.tool_choice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(left.messages).toEqual([{ role: 'user', content: 'Weather in Paris as JSON?' }]);
  });
});
