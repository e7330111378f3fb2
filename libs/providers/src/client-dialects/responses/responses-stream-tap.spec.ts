import { describe, expect, it } from '@jest/globals';
import type { JsonObject } from '../../json.js';
import { SseEventSplitter } from '../../sse-event-splitter.js';
import { ResponsesStreamTap } from './responses-stream-tap.js';
import { DOCUMENTED_RESPONSE } from './responses.fixtures.js';

const sse = (data: JsonObject): string => `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;

/** What the tap reads from a native stream made of these events. */
function tapped(events: JsonObject[]): Array<JsonObject | '[DONE]'> {
  const tap = new ResponsesStreamTap();
  const splitter = new SseEventSplitter();
  return [...splitter.push(events.map(sse).join('')).flatMap((event) => tap.event(event)), ...tap.end()];
}

const item = { item_id: 'msg_1', output_index: 0, content_index: 0 };

describe(ResponsesStreamTap.name, () => {
  it("reads the text deltas as chat chunks, and the completed response's usage as chat's usage chunk", () => {
    const out = tapped([
      {
        type: 'response.created',
        response: { ...DOCUMENTED_RESPONSE, status: 'in_progress', usage: null },
        sequence_number: 0,
      },
      { type: 'response.output_text.delta', ...item, delta: 'In a ', sequence_number: 1 },
      { type: 'response.output_text.delta', ...item, delta: 'grove', sequence_number: 2 },
      { type: 'response.output_text.done', ...item, text: 'In a grove', sequence_number: 3 },
      { type: 'response.completed', response: DOCUMENTED_RESPONSE, sequence_number: 4 },
    ]);
    expect(out).toEqual([
      { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'In a ' }, finish_reason: null }] },
      { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'grove' }, finish_reason: null }] },
      {
        object: 'chat.completion.chunk',
        choices: [],
        usage: {
          prompt_tokens: 36,
          completion_tokens: 87,
          total_tokens: 123,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
      '[DONE]',
    ]);
  });

  it('counts function arguments and refusals as produced text', () => {
    const out = tapped([
      {
        type: 'response.function_call_arguments.delta',
        item_id: 'fc_1',
        output_index: 0,
        delta: '{"a":',
        sequence_number: 1,
      },
      { type: 'response.refusal.delta', ...item, delta: 'No.', sequence_number: 2 },
    ]);
    expect(out).toEqual([
      {
        object: 'chat.completion.chunk',
        choices: [
          { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }, finish_reason: null },
        ],
      },
      { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { refusal: 'No.' }, finish_reason: null }] },
    ]);
  });

  it('reads an error event as an in-band error, and the usage of a failed or incomplete response', () => {
    const failed = { ...DOCUMENTED_RESPONSE, status: 'failed', usage: { input_tokens: 10, output_tokens: 2 } };
    expect(
      tapped([
        { type: 'error', code: 'server_error', message: 'The server had an error.', param: null, sequence_number: 5 },
        { type: 'response.failed', response: failed, sequence_number: 6 },
        { type: 'response.output_text.delta', ...item, delta: 'after the end', sequence_number: 7 },
      ]),
    ).toEqual([
      { error: { message: 'The server had an error.', type: 'server_error', code: 'server_error', param: null } },
      {
        object: 'chat.completion.chunk',
        choices: [],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 2,
          total_tokens: 12,
          prompt_tokens_details: { cached_tokens: 0 },
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      },
      '[DONE]',
    ]);
    const incomplete = { ...DOCUMENTED_RESPONSE, status: 'incomplete', usage: undefined };
    expect(tapped([{ type: 'response.incomplete', response: incomplete, sequence_number: 1 }])).toEqual(['[DONE]']);
  });
});
