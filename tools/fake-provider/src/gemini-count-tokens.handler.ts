/**
 * Gemini's `models/{model}:countTokens`: `{"totalTokens": N, …}` for `contents` (or a whole
 * `generateContentRequest`), the same prompt count a generateContent call with that body would report.
 */
import { fakeTokenCounts } from './fake-usage.js';
import { requireContents } from './gemini-generate.handler.js';
import { sendJson } from './http-io.js';
import { isRecord } from './json-guards.js';
import type { FakeRequestContext } from './request-context.js';

export function handleGeminiCountTokens(ctx: FakeRequestContext): void {
  const request = isRecord(ctx.body.generateContentRequest) ? ctx.body.generateContentRequest : ctx.body;
  requireContents(
    request,
    isRecord(ctx.body.generateContentRequest) ? 'CountTokensRequest.generateContentRequest' : 'CountTokensRequest',
  );
  const counts = fakeTokenCounts(request, 0, ctx.controls);
  sendJson(
    ctx.res,
    200,
    JSON.stringify({
      totalTokens: counts.input,
      ...(counts.cacheRead > 0 ? { cachedContentTokenCount: counts.cacheRead } : {}),
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: counts.input }],
    }),
  );
}
