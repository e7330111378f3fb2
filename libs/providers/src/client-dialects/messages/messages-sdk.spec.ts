import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonObject } from '../../json.js';
import { messagesDialect } from './messages.dialect.js';
import { CHAT_TOOL_ANSWER, WEATHER_TOOL } from './messages.fixtures.js';

/**
 * The official Anthropic SDK reading what the dialect produces, served
 * from a local HTTP server: the translated stream, the translated answer
 * and the error envelope, as the edge will send them.
 */

const TID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A chat stream with text, a tool call and the usage chunk, as an OpenAI upstream sends it. */
const CHAT_CHUNKS: JsonObject[] = [
  { role: 'assistant', content: '' },
  { content: "I'll check the weather" },
  { content: ' in Paris.' },
  {
    tool_calls: [{ index: 0, id: 'call_weather1', type: 'function', function: { name: 'get_weather', arguments: '' } }],
  },
  { tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] },
  { tool_calls: [{ index: 0, function: { arguments: '"Paris, France"}' } }] },
].map((delta) => ({
  id: 'chatcmpl-sdk1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4.1',
  choices: [{ index: 0, delta, finish_reason: null }],
}));
const FINISH_CHUNK = {
  id: 'chatcmpl-sdk1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4.1',
  choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }],
};
const USAGE_CHUNK = {
  id: 'chatcmpl-sdk1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-4.1',
  choices: [],
  usage: {
    prompt_tokens: 2100,
    completion_tokens: 42,
    total_tokens: 2142,
    prompt_tokens_details: { cached_tokens: 2048 },
  },
};

async function jsonBody(request: IncomingMessage): Promise<JsonObject> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8')) as JsonObject;
}

let server: Server;
let client: Anthropic;

beforeAll(async () => {
  server = createServer((request, response) => {
    void jsonBody(request).then((body) => {
      if (body.model === 'refused-model') {
        const error = {
          message: 'Rate limit reached for the key',
          type: 'rate_limit',
          code: null,
          param: null,
          tid: TID,
        };
        response.writeHead(429, { 'content-type': 'application/json' });
        response.end(JSON.stringify(messagesDialect.errorBody(429, error)));
        return;
      }
      if (body.stream === true && body.model === 'broken-model') {
        const encoder = messagesDialect.chatStreamEncoder(body);
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(encoder.chunk(CHAT_CHUNKS[1]));
        const error = {
          message: 'The upstream provider broke off.',
          type: 'server_error',
          code: null,
          param: null,
          tid: TID,
        };
        response.end(encoder.fail(error));
        return;
      }
      if (body.stream === true) {
        const encoder = messagesDialect.chatStreamEncoder(body);
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const chunk of [...CHAT_CHUNKS, FINISH_CHUNK, USAGE_CHUNK]) response.write(encoder.chunk(chunk));
        response.end(encoder.end());
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(messagesDialect.fromChatAnswer(CHAT_TOOL_ANSWER, body)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({ apiKey: 'sk-tollgate-test', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const params = {
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  tools: [WEATHER_TOOL] as Anthropic.Tool[],
  messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }],
};

describe('the official Anthropic SDK', () => {
  it("assembles the translated stream into the final message (text, the tool call's input, stop and usage)", async () => {
    const stream = client.messages.stream(params);
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();
    expect(texts.join('')).toBe("I'll check the weather in Paris.");
    expect(message).toMatchObject({
      id: 'msg_sdk1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'text', text: "I'll check the weather in Paris." },
        { type: 'tool_use', id: 'toolu_weather1', name: 'get_weather', input: { location: 'Paris, France' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 52, output_tokens: 42, cache_read_input_tokens: 2048, cache_creation_input_tokens: 0 },
    });
  });

  it("raises a stream's in-band error event, its message shown", async () => {
    const stream = client.messages.stream({ ...params, model: 'broken-model' });
    await expect(stream.finalMessage()).rejects.toMatchObject({
      message: expect.stringContaining('The upstream provider broke off.') as unknown,
    });
  });

  it('parses the translated JSON answer', async () => {
    const message = await client.messages.create(params);
    expect(message.content).toEqual([
      { type: 'text', text: "I'll check the current weather in Boston." },
      { type: 'tool_use', id: 'toolu_abc123', name: 'get_weather', input: { location: 'Boston, MA' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 93, output_tokens: 46, cache_read_input_tokens: 1024 });
  });

  it("raises the error envelope as its RateLimitError, the gateway's message in it", async () => {
    const refused = client.messages.create({ ...params, model: 'refused-model' });
    await expect(refused).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    await expect(client.messages.create({ ...params, model: 'refused-model' })).rejects.toMatchObject({
      status: 429,
      message: expect.stringContaining('Rate limit reached for the key') as unknown,
      error: { type: 'error', error: { type: 'rate_limit_error', tid: TID } },
    });
  });
});
