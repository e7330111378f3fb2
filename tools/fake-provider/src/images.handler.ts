/**
 * `POST /v1/images/generations`: `n` fake images. URLs point at the reserved `.invalid` TLD so nothing ever
 * tries to fetch them for real; `b64_json` answers carry a valid 1×1 PNG.
 */
import { optionalInteger, optionalString, requiredString } from './body-params.js';
import { sendJson } from './http-io.js';
import type { FakeRequestContext } from './request-context.js';
import { requireImage } from './transcriptions.handler.js';

/** A valid 1×1 PNG, so a client that decodes the image does not choke. */
export const FAKE_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** `POST /v1/images/edits`: a form; answered as generations are, once it has an image (its `n` is text). */
export function handleImageEdits(ctx: FakeRequestContext): void {
  requireImage(ctx);
  const n = typeof ctx.body.n === 'string' && ctx.body.n !== '' ? Number(ctx.body.n) : ctx.body.n;
  handleImageGenerations({ ...ctx, body: { ...ctx.body, n } });
}

export function handleImageGenerations(ctx: FakeRequestContext): void {
  const { body } = ctx;
  requiredString(body, 'prompt');
  const n = optionalInteger(body, 'n', 1, 10) ?? 1;
  const model = optionalString(body, 'model') ?? 'dall-e-2';
  // gpt-image-* models only ever answer in base64, whatever response_format says.
  const base64 = optionalString(body, 'response_format') === 'b64_json' || model.startsWith('gpt-image');

  const data = Array.from({ length: n }, (_, i) =>
    base64
      ? { b64_json: FAKE_PNG_BASE64 }
      : { url: `https://fake-provider.invalid/images/img-fake-${ctx.seq}-${i}.png` },
  );
  sendJson(ctx.res, 200, JSON.stringify({ created: Math.floor(Date.now() / 1000), data }));
}
