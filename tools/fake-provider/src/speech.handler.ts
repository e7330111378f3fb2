/**
 * `POST /v1/audio/speech`: a binary answer, unlike every other endpoint — which is exactly why the gateway
 * needs it tested. The bytes are fixed (1 KiB starting with an MPEG audio frame header) so tests can
 * compare them; they are not playable audio.
 */
import { optionalString, requiredString } from './body-params.js';
import type { FakeRequestContext } from './request-context.js';

export const FAKE_SPEECH_BYTES = 1024;

function buildSpeech(): Buffer {
  const bytes = Buffer.alloc(FAKE_SPEECH_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
  bytes.set([0xff, 0xfb, 0x90, 0x64], 0); // MPEG-1 Layer III frame header: sniffers see "audio/mpeg"
  return bytes;
}

/** Precomputed once: the answer never varies. */
export const FAKE_SPEECH: Buffer = buildSpeech();

/** Content types of the formats OpenAI offers; the bytes are the same fake whatever the format. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

export function handleSpeech(ctx: FakeRequestContext): void {
  const { body } = ctx;
  requiredString(body, 'model');
  requiredString(body, 'input');
  const format = optionalString(body, 'response_format') ?? 'mp3';
  ctx.res.writeHead(200, {
    'content-type': CONTENT_TYPES[format] ?? 'audio/mpeg',
    'content-length': FAKE_SPEECH.length,
  });
  ctx.res.end(FAKE_SPEECH);
}
