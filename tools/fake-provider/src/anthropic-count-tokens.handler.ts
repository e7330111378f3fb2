/**
 * `POST /v1/messages/count_tokens`: `{"input_tokens": N}`, the same total input a `/v1/messages` call with
 * this body would report (input + cache reads + cache writes), so a gateway that holds credit from the count
 * and settles from the usage sees the two agree.
 */
import { requireMessages, requireModel } from './anthropic-messages.handler.js';
import { fakeTokenCounts } from './fake-usage.js';
import { sendJson } from './http-io.js';
import type { FakeRequestContext } from './request-context.js';

export function handleAnthropicCountTokens(ctx: FakeRequestContext): void {
  requireModel(ctx.body);
  requireMessages(ctx.body);
  const counts = fakeTokenCounts(ctx.body, 0, ctx.controls);
  sendJson(ctx.res, 200, JSON.stringify({ input_tokens: counts.input }));
}
