/**
 * `POST /v1/audio/transcriptions` and `/v1/audio/translations`: a deterministic transcript of the audio's real
 * length (read with music-metadata, as the gateway does), in every response format, with OpenAI's two usage
 * shapes — tokens for the gpt-4o transcribe models, duration for whisper-1 — and a transcript stream for the
 * models that stream.
 */
import { parseBuffer } from 'music-metadata';
import { CHARS_PER_TOKEN } from './fake-usage.js';
import { sendJson } from './http-io.js';
import { invalidRequest, missingParameter } from './openai-error.js';
import type { FakeRequestContext } from './request-context.js';
import { SSE_CONTENT_TYPE, sseData } from './sse-stream.js';

/** Audio tokens per second of input, as OpenAI bills audio (one per 100 ms). */
export const FAKE_AUDIO_TOKENS_PER_SECOND = 10;

/** The fake's token count of a text: one per CHARS_PER_TOKEN characters, rounded up. */
export const fakeTextTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

/** The transcript of `seconds` of audio: the same text for the same length, so tests can predict it. */
export function fakeTranscript(seconds: number, translation: boolean): string {
  const length = seconds.toFixed(1);
  return translation
    ? `This is a fake English translation of ${length} seconds of audio.`
    : `This is a fake transcript of ${length} seconds of audio.`;
}

/** The token usage the gpt-4o transcribe models report for a transcript. */
export function fakeTranscriptionTokens(seconds: number, prompt: string, text: string) {
  const audioTokens = Math.ceil(seconds * FAKE_AUDIO_TOKENS_PER_SECOND);
  const textTokens = fakeTextTokens(prompt);
  const outputTokens = fakeTextTokens(text);
  return {
    type: 'tokens',
    input_tokens: audioTokens + textTokens,
    input_token_details: { audio_tokens: audioTokens, text_tokens: textTokens },
    output_tokens: outputTokens,
    total_tokens: audioTokens + textTokens + outputTokens,
  };
}

const timestamp = (seconds: number, separator: ',' | '.'): string => {
  const ms = Math.round(seconds * 1000);
  const part = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${part(Math.floor(ms / 3_600_000))}:${part(Math.floor(ms / 60_000) % 60)}:${part(Math.floor(ms / 1000) % 60)}${separator}${part(ms % 1000, 3)}`;
};

function sendText(ctx: FakeRequestContext, text: string): void {
  ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  ctx.res.end(text);
}

export function transcriptionHandler(translation: boolean) {
  return async (ctx: FakeRequestContext): Promise<void> => {
    const { body } = ctx;
    const [file] = ctx.files?.get('file') ?? [];
    if (!file) throw missingParameter('file');
    const model = typeof body.model === 'string' ? body.model : undefined;
    if (!model) throw missingParameter('model');
    let seconds: number;
    try {
      const metadata = await parseBuffer(file.data, { mimeType: file.contentType }, { duration: true });
      seconds = metadata.format.duration ?? Number.NaN;
    } catch {
      seconds = Number.NaN;
    }
    if (!Number.isFinite(seconds)) throw invalidRequest('Invalid file format.', 'file', 'invalid_value');
    const text = fakeTranscript(seconds, translation);
    const byTokens = model.startsWith('gpt-4o');
    const prompt = typeof body.prompt === 'string' ? body.prompt : '';
    const usage = byTokens
      ? fakeTranscriptionTokens(seconds, prompt, text)
      : { type: 'duration', seconds: Math.ceil(seconds) };
    const format = typeof body.response_format === 'string' ? body.response_format : 'json';

    if (body.stream === 'true') {
      if (!byTokens) throw invalidRequest(`Streaming is not supported for the ${model} model.`, 'stream');
      const words = text.split(' ');
      let out = '';
      words.forEach((word, i) => {
        out += sseData(JSON.stringify({ type: 'transcript.text.delta', delta: i === 0 ? word : ` ${word}` }));
      });
      out += sseData(JSON.stringify({ type: 'transcript.text.done', text, usage }));
      ctx.res.writeHead(200, { 'content-type': SSE_CONTENT_TYPE, 'cache-control': 'no-cache' });
      ctx.res.end(out);
      return;
    }
    switch (format) {
      case 'text':
        return sendText(ctx, `${text}\n`);
      case 'srt':
        return sendText(ctx, `1\n${timestamp(0, ',')} --> ${timestamp(seconds, ',')}\n${text}\n\n`);
      case 'vtt':
        return sendText(ctx, `WEBVTT\n\n${timestamp(0, '.')} --> ${timestamp(seconds, '.')}\n${text}\n\n`);
      case 'verbose_json':
        return sendJson(
          ctx.res,
          200,
          JSON.stringify({
            task: translation ? 'translate' : 'transcribe',
            language: 'english',
            duration: seconds,
            text,
            segments: [{ id: 0, seek: 0, start: 0, end: seconds, text, tokens: [], temperature: 0 }],
            usage,
          }),
        );
      default:
        return sendJson(ctx.res, 200, JSON.stringify({ text, usage }));
    }
  };
}

/** `POST /v1/images/edits`: like generations, once an image and a prompt are there (`n` arrives as text). */
export function requireImage(ctx: FakeRequestContext): void {
  if (!ctx.files?.has('image') && !ctx.files?.has('image[]')) throw missingParameter('image');
}
