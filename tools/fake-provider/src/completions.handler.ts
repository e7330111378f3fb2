/** `POST /v1/completions` (legacy): a `text_completion` object, or `text_completion` events when streaming. */
import { includeUsageRequested, requiredPresent, requiredString } from './body-params.js';
import { fakeAnswer } from './fake-answer.js';
import { fakeAnswerLength, fakeUsage } from './fake-usage.js';
import { sendJson } from './http-io.js';
import { streamErrorObject } from './openai-error.js';
import type { FakeRequestContext } from './request-context.js';
import { SSE_CONTENT_TYPE, SSE_DONE, sseData, writeStream } from './sse-stream.js';

const SYSTEM_FINGERPRINT = 'fp_fake';

export async function handleCompletions(ctx: FakeRequestContext): Promise<void> {
  const { body, controls } = ctx;
  const model = requiredString(body, 'model');
  requiredPresent(body, 'prompt');

  const { words, truncated } = fakeAnswerLength(body, controls.chunks);
  const answer = fakeAnswer(words);
  const finishReason = truncated ? 'length' : 'stop';
  const usage = controls.omitUsage ? undefined : fakeUsage(body, controls);
  const id = `cmpl-fake-${ctx.seq}`;
  const created = Math.floor(Date.now() / 1000);
  const choice = (text: string, finish: string | null): unknown => ({
    text,
    index: 0,
    logprobs: null,
    finish_reason: finish,
  });

  if (body.stream !== true) {
    const completion = {
      id,
      object: 'text_completion',
      created,
      model,
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices: [choice(answer.text, finishReason)],
      usage,
    };
    sendJson(ctx.res, 200, JSON.stringify(completion));
    return;
  }

  // Same usage semantics as chat: `usage: null` on every chunk, then a `choices: []` chunk with the totals.
  const withUsage = includeUsageRequested(body) && usage !== undefined;
  const chunk = (choices: unknown[], chunkUsage: unknown = null): string =>
    sseData(
      JSON.stringify({
        id,
        object: 'text_completion',
        created,
        model,
        system_fingerprint: SYSTEM_FINGERPRINT,
        choices,
        ...(withUsage ? { usage: chunkUsage } : {}),
      }),
    );
  const content = answer.pieces.map((piece) => chunk([choice(piece, null)]));
  let tail = chunk([choice('', finishReason)]);
  if (withUsage) tail += chunk([], usage);
  await writeStream(
    ctx.res,
    {
      contentType: SSE_CONTENT_TYPE,
      content,
      tail: tail + SSE_DONE,
      inBandError: sseData(JSON.stringify({ error: streamErrorObject(controls.errorCode) })),
    },
    controls,
    ctx.signal,
  );
}
