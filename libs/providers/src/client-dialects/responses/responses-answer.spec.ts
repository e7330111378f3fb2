import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import { responseOf } from './responses-answer.js';
import { serveToSdk } from './responses-sdk.fixtures.js';
import { CHAT_ANSWER, CHAT_TOOL_ANSWER, DOCUMENTED_RESPONSE, REQUESTS, WEATHER_TOOL } from './responses.fixtures.js';

const withChoice = (message: JsonObject, finish: string): JsonObject => ({
  ...CHAT_ANSWER,
  choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
});

describe(responseOf.name, () => {
  it("has the documented Response object's fields, with a message item of output_text", () => {
    const response = responseOf(CHAT_ANSWER, REQUESTS.text);
    expect(Object.keys(response)).toEqual(expect.arrayContaining(Object.keys(DOCUMENTED_RESPONSE)));
    expect(response).toMatchObject({
      id: 'resp_chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      object: 'response',
      created_at: 1741569952,
      status: 'completed',
      incomplete_details: null,
      error: null,
      model: 'gpt-4.1-2025-04-14',
      instructions: null,
      previous_response_id: null,
      store: false,
      temperature: 1,
      top_p: 1,
      tool_choice: 'auto',
      tools: [],
      text: { format: { type: 'text' } },
      parallel_tool_calls: true,
      metadata: {},
      usage: {
        input_tokens: 19,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 10,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 29,
      },
    });
    expect(response.output).toEqual([
      {
        id: 'msg_chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Hello! How can I assist you today?', annotations: [], logprobs: [] }],
      },
    ]);
  });

  it('echoes the settings of the request', () => {
    const request = {
      ...REQUESTS.functions,
      instructions: 'Answer in French.',
      temperature: 0.3,
      top_p: 0.8,
      max_output_tokens: 200,
      metadata: { run: '7' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_object' } },
      reasoning: { effort: 'low' },
    };
    expect(responseOf(CHAT_ANSWER, request)).toMatchObject({
      instructions: 'Answer in French.',
      tools: [WEATHER_TOOL],
      tool_choice: 'auto',
      temperature: 0.3,
      top_p: 0.8,
      max_output_tokens: 200,
      metadata: { run: '7' },
      parallel_tool_calls: false,
      text: { format: { type: 'json_object' } },
      reasoning: { effort: 'low', summary: null },
    });
  });

  it('turns tool calls into function_call items', () => {
    const response = responseOf(CHAT_TOOL_ANSWER, REQUESTS.functions);
    expect(response.status).toBe('completed');
    expect(response.output).toEqual([
      {
        id: 'fc_call_abc123',
        type: 'function_call',
        status: 'completed',
        call_id: 'call_abc123',
        name: 'get_current_weather',
        arguments: '{\n"location": "Boston, MA"\n}',
      },
    ]);
  });

  it('is incomplete when the output cap or the content filter cut the answer', () => {
    const cut = responseOf(withChoice({ role: 'assistant', content: 'Once upon' }, 'length'), REQUESTS.text);
    expect(cut).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect((cut.output as JsonObject[])[0].status).toBe('incomplete');
    const filtered = responseOf(withChoice({ role: 'assistant', content: null }, 'content_filter'), REQUESTS.text);
    expect(filtered).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'content_filter' },
      output: [],
    });
  });

  it("answers a refusal as a refusal part, and chat's url citations as the Response's", () => {
    const refused = responseOf(withChoice({ role: 'assistant', content: null, refusal: 'I can’t help.' }, 'stop'), {});
    expect((refused.output as JsonObject[])[0].content).toEqual([{ type: 'refusal', refusal: 'I can’t help.' }]);
    const cited = responseOf(
      withChoice(
        {
          role: 'assistant',
          content: 'See example.com.',
          annotations: [
            {
              type: 'url_citation',
              url_citation: { url: 'https://example.com/', title: 'Example', start_index: 4, end_index: 15 },
            },
          ],
        },
        'stop',
      ),
      {},
    );
    expect((cited.output as Array<{ content: JsonObject[] }>)[0].content[0].annotations).toEqual([
      { type: 'url_citation', url: 'https://example.com/', title: 'Example', start_index: 4, end_index: 15 },
    ]);
  });

  it('counts cached and reasoning tokens in the details', () => {
    const usage = {
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 1024 },
      completion_tokens_details: { reasoning_tokens: 256 },
    };
    expect(responseOf({ ...CHAT_ANSWER, usage }, {}).usage).toEqual({
      input_tokens: 1200,
      input_tokens_details: { cached_tokens: 1024 },
      output_tokens: 300,
      output_tokens_details: { reasoning_tokens: 256 },
      total_tokens: 1500,
    });
  });

  it('is parsed by the official openai SDK: output_text, the items and the usage', async () => {
    const answer = responseOf(CHAT_ANSWER, REQUESTS.text);
    const sdk = await serveToSdk(JSON.stringify(answer), 'application/json');
    try {
      const response = await sdk.client.responses.create({ model: 'gpt-4.1', input: REQUESTS.text.input });
      expect(response.output_text).toBe('Hello! How can I assist you today?');
      expect(response.id).toBe(answer.id);
      expect(response.usage?.total_tokens).toBe(29);
    } finally {
      await sdk.close();
    }
  });

  it("is parsed by the SDK's structured-output helper (responses.parse) as JSON", async () => {
    const answer = responseOf(withChoice({ role: 'assistant', content: '{"pounds":700}' }, 'stop'), REQUESTS.reasoning);
    const sdk = await serveToSdk(JSON.stringify(answer), 'application/json');
    try {
      const response = await sdk.client.responses.parse({
        model: 'o3-mini',
        input: 'How much wood?',
        text: {
          format: {
            type: 'json_schema',
            name: 'wood',
            schema: { type: 'object', properties: { pounds: { type: 'number' } }, required: ['pounds'] },
          },
        },
      });
      expect(response.output_parsed).toEqual({ pounds: 700 });
    } finally {
      await sdk.close();
    }
  });
});
