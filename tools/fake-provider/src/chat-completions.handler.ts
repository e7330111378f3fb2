/** `POST /v1/chat/completions`: a `chat.completion` object, or `chat.completion.chunk` events when streaming. */
import { includeUsageRequested, requiredString } from './body-params.js';
import { fakeAnswer } from './fake-answer.js';
import { fakeAnswerLength, fakeTokenDetails, fakeUsage, type FakeUsage } from './fake-usage.js';
import { sendJson } from './http-io.js';
import { invalidRequest, missingParameter } from './openai-error.js';
import type { FakeRequestContext } from './request-context.js';
import { writeSse } from './sse-stream.js';

const SYSTEM_FINGERPRINT = 'fp_fake';

function chatUsage(usage: FakeUsage, controls: FakeRequestContext['controls']): FakeUsage & Record<string, unknown> {
  return { ...usage, ...fakeTokenDetails(controls) };
}

export async function handleChatCompletions(ctx: FakeRequestContext): Promise<void> {
  const { body, controls } = ctx;
  const model = requiredString(body, 'model');
  if (body.messages === undefined || body.messages === null) throw missingParameter('messages');
  if (!Array.isArray(body.messages))
    throw invalidRequest("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');

  const { words, truncated } = fakeAnswerLength(body, controls.chunks);
  const answer = fakeAnswer(words);
  const finishReason = truncated ? 'length' : 'stop';
  const usage = controls.omitUsage ? undefined : chatUsage(fakeUsage(body, controls), controls);
  const id = `chatcmpl-fake-${ctx.seq}`;
  const created = Math.floor(Date.now() / 1000);

  if (body.stream !== true) {
    const completion = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer.text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: finishReason,
        },
      ],
      usage,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
    sendJson(ctx.res, 200, JSON.stringify(completion));
    return;
  }

  // OpenAI semantics: with include_usage every chunk carries `usage: null` and one extra chunk with
  // `choices: []` carries the totals; without it no chunk has a usage field at all.
  const withUsage = includeUsageRequested(body) && usage !== undefined;
  const chunk = (choices: unknown[], chunkUsage: unknown = null): string =>
    JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
      ...(withUsage ? { usage: chunkUsage } : {}),
    });
  const choice = (delta: Record<string, unknown>, finish: string | null): unknown => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finish,
  });

  // The role rides on the first content chunk, so `chunks: N` means exactly N content chunks on the wire.
  const content = answer.pieces.map((piece, i) =>
    chunk([choice(i === 0 ? { role: 'assistant', content: piece } : { content: piece }, null)]),
  );
  const finishDelta = content.length === 0 ? { role: 'assistant', content: '' } : {};
  const tail = [chunk([choice(finishDelta, finishReason)])];
  if (withUsage) tail.push(chunk([], usage));
  await writeSse(ctx.res, { content, tail }, controls, ctx.signal);
}
