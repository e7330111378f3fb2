import { beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI, { APIError, toFile } from 'openai';
import { createChannel, createCustomer, setPrice, type Customer } from './support/fixtures.js';
import { settledCharge } from './support/ledger.js';
import { apiError, openaiClient, tokenCost } from './support/openai-client.js';
import { useSuite } from './support/suite.js';

const TID = /^[0-9a-f]{32}$/;
/**
 * The upload routes' own limit in this suite: small, so a 413 needs no large file (three seconds of the
 * test's audio are 48 KB). A body far over a limit is answered before it has been sent, and a client still
 * sending then sees the connection close rather than the answer, for JSON bodies as for forms.
 */
const UPLOAD_LIMIT_BYTES = 64 * 1024;
const AZURE_KEY = 'azure-upstream-key-uploads-0123';

/** `seconds` of a 440 Hz sine at 8 kHz, 16-bit mono, behind a 44-byte RIFF/WAVE header. */
function sineWav(seconds: number, rate = 8000): Buffer {
  const samples = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVE', 8);
  wav.write('fmt ', 12);
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++)
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return wav;
}

/** A valid 1×1 PNG: the image and the mask of the edits. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const THREE_SECONDS = sineWav(3);
const wavFile = () => toFile(THREE_SECONDS, 'tone.wav', { type: 'audio/wav' });
const pngFile = (name: string) => toFile(PNG, name, { type: 'image/png' });

/** whisper-1's list price: $0.006 a minute, 100 micro-units a second. */
const WHISPER_MICROS_PER_SECOND = 100n;

function expectDenial(error: APIError, status: number, fields: Record<string, unknown>): void {
  expect(error.status).toBe(status);
  expect(error.error).toMatchObject({ ...fields, tid: expect.stringMatching(TID) });
  expect(error.headers?.get('x-tid')).toBe((error.error as { tid: string }).tid);
}

describe('the upload endpoints: transcriptions, translations, image edits', () => {
  const suite = useSuite({ env: { UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT_BYTES) } });
  const fresh = async (): Promise<{ customer: Customer; client: OpenAI }> => {
    const customer = await createCustomer(suite, { balance: '1' });
    return { customer, client: openaiClient(suite, customer.key) };
  };

  beforeAll(async () => {
    await createChannel(suite, { models: ['whisper-1', 'gpt-4o-transcribe', 'dall-e-2'] });
    // An azure channel maps its models to deployments: the edge re-encodes the form with the deployment's name.
    await createChannel(suite, {
      type: 'azure',
      base_url: suite.fake.url,
      api_key: AZURE_KEY,
      models: ['gpt-4o-mini-transcribe', 'gpt-image-1'],
      model_mapping: { 'gpt-4o-mini-transcribe': 'gpt-4o-mini-transcribe-eu', 'gpt-image-1': 'gpt-image-1-eu' },
    });
    await setPrice(suite, 'gpt-4o-transcribe', '1', '2');
    await setPrice(suite, 'gpt-4o-mini-transcribe', '1', '2');
    const prices = [
      await suite.admin('PUT', '/admin/v1/prices/whisper-1', {
        input_per_million: '0',
        output_per_million: '0',
        audio_per_minute: '0.006',
      }),
      await suite.admin('PUT', '/admin/v1/prices/dall-e-2', { image_prices: { '1024x1024': '0.02' } }),
      await suite.admin('PUT', '/admin/v1/prices/gpt-image-1', { image_prices: { '*': '0.04' } }),
    ];
    expect(prices.map((price) => price.status)).toEqual([200, 200, 200]);
    expect(prices[0].body).toMatchObject({ audio_per_minute: '0.006000' });
  });

  describe('transcriptions', () => {
    it('answers json with token usage (gpt-4o-transcribe) and charges it to the micro-unit', async () => {
      const { customer, client } = await fresh();

      const answer = await client.audio.transcriptions.create({ file: await wavFile(), model: 'gpt-4o-transcribe' });

      expect(answer.text).toBe('This is a fake transcript of 3.0 seconds of audio.');
      const usage = (answer as { usage?: { type: string; input_tokens: number; output_tokens: number } }).usage;
      expect(usage).toMatchObject({ type: 'tokens', input_tokens: 30, input_token_details: { audio_tokens: 30 } });
      expect(await settledCharge(suite, customer)).toBe(
        tokenCost({ prompt_tokens: usage!.input_tokens, completion_tokens: usage!.output_tokens }),
      );
      // The client's own bytes went upstream: the model was not mapped.
      const [sent] = suite.fake.requests.filter((request) => request.path === '/v1/audio/transcriptions').slice(-1);
      expect(sent.body).toMatchObject({
        model: 'gpt-4o-transcribe',
        file: { filename: 'tone.wav', contentType: 'audio/wav', bytes: THREE_SECONDS.length },
      });
    });

    it.each([
      ['json', 'json'],
      ['text', 'text'],
      ['verbose_json', 'verbose_json'],
    ] as const)('charges whisper-1 by the duration, per minute, in %s', async (_what, format) => {
      const { customer, client } = await fresh();

      const answer = await client.audio.transcriptions.create({
        file: await wavFile(),
        model: 'whisper-1',
        response_format: format,
      });

      const text = typeof answer === 'string' ? answer : answer.text;
      expect(text.trim()).toBe('This is a fake transcript of 3.0 seconds of audio.');
      // 3 seconds at $0.006 a minute: reported (json, verbose_json) or read from the file (text).
      expect(await settledCharge(suite, customer)).toBe(3n * WHISPER_MICROS_PER_SECOND);
    });

    it('relays a transcript stream as it comes, charged the usage of its done event', async () => {
      const { customer, client } = await fresh();

      const stream = await client.audio.transcriptions.create({
        file: await wavFile(),
        model: 'gpt-4o-transcribe',
        stream: true,
      });
      const events: Array<{ type: string; delta?: string; usage?: { input_tokens: number; output_tokens: number } }> =
        [];
      for await (const event of stream) events.push(event);

      const done = events.at(-1);
      expect(done?.type).toBe('transcript.text.done');
      expect(
        events
          .slice(0, -1)
          .map((event) => event.delta)
          .join(''),
      ).toBe('This is a fake transcript of 3.0 seconds of audio.');
      expect(await settledCharge(suite, customer)).toBe(
        tokenCost({ prompt_tokens: done!.usage!.input_tokens, completion_tokens: done!.usage!.output_tokens }),
      );
    });

    it('sends a mapped model as a form re-encoded with the deployment, through an azure channel', async () => {
      const { customer, client } = await fresh();

      const answer = await client.audio.transcriptions.create({
        file: await wavFile(),
        model: 'gpt-4o-mini-transcribe',
        prompt: 'a tone',
      });

      const usage = (answer as { usage?: { input_tokens: number; output_tokens: number } }).usage!;
      expect(await settledCharge(suite, customer)).toBe(
        tokenCost({ prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens }),
      );
      const [sent] = suite.fake.requests.filter((request) =>
        request.path.startsWith('/openai/deployments/gpt-4o-mini-transcribe-eu/audio/transcriptions'),
      );
      expect(sent).toMatchObject({
        dialect: 'azure',
        auth: { name: 'api-key', key: AZURE_KEY },
        body: { model: 'gpt-4o-mini-transcribe-eu', prompt: 'a tone', file: { bytes: THREE_SECONDS.length } },
      });
    });

    it('refuses stream for whisper-1, naming stream', async () => {
      const { client } = await fresh();

      const error = await apiError(async () =>
        client.audio.transcriptions.create({ file: await wavFile(), model: 'whisper-1', stream: true }),
      );

      expectDenial(error, 400, { code: 'invalid_request', param: 'stream' });
    });

    it('refuses an audio file whose format cannot be read for a per-minute model, naming file', async () => {
      const { client } = await fresh();

      const error = await apiError(async () =>
        client.audio.transcriptions.create({
          file: await toFile(Buffer.from('not audio at all'), 'notes.wav', { type: 'audio/wav' }),
          model: 'whisper-1',
        }),
      );

      expectDenial(error, 400, { code: 'invalid_request', param: 'file' });
    });
  });

  it('translates with whisper-1, charged by the duration', async () => {
    const { customer, client } = await fresh();

    const answer = await client.audio.translations.create({ file: await wavFile(), model: 'whisper-1' });

    expect(answer.text).toBe('This is a fake English translation of 3.0 seconds of audio.');
    expect(await settledCharge(suite, customer)).toBe(3n * WHISPER_MICROS_PER_SECOND);
  });

  describe('image edits', () => {
    it('edits with an image and a mask, charged per image at the size (dall-e-2 by default)', async () => {
      const { customer, client } = await fresh();

      const answer = await client.images.edit({
        image: await pngFile('photo.png'),
        mask: await pngFile('mask.png'),
        prompt: 'add a hat',
        n: 2,
        size: '1024x1024',
      });

      expect(answer.data).toHaveLength(2);
      expect(await settledCharge(suite, customer)).toBe(2n * 20_000n);
      const [sent] = suite.fake.requests.filter((request) => request.path === '/v1/images/edits').slice(-1);
      // No model named: the default is written into the form, which is re-encoded once.
      expect(sent.body).toMatchObject({ model: 'dall-e-2', n: '2', image: { filename: 'photo.png' }, mask: {} });
    });

    it('edits several images (image[]) through an azure channel', async () => {
      const { customer, client } = await fresh();

      const answer = await client.images.edit({
        image: [await pngFile('a.png'), await pngFile('b.png')],
        prompt: 'merge them',
        model: 'gpt-image-1',
      });

      expect(answer.data).toHaveLength(1);
      expect(await settledCharge(suite, customer)).toBe(40_000n);
      const [sent] = suite.fake.requests.filter((request) =>
        request.path.startsWith('/openai/deployments/gpt-image-1-eu/images/edits'),
      );
      expect(sent.body).toMatchObject({ 'image[]': [{ filename: 'a.png' }, { filename: 'b.png' }] });
    });

    const edit = async (client: OpenAI, fields: Record<string, unknown>) =>
      apiError(async () =>
        client.images.edit({ image: await pngFile('photo.png'), ...fields } as OpenAI.Images.ImageEditParams),
      );

    it.each([
      ['prompt_missing', {}, 'prompt is required'],
      ['prompt_too_long', { prompt: 'x'.repeat(1_001) }, 'prompt is too long'],
      ['size_not_supported', { prompt: 'a hat', size: '1792x1024' }, 'size not supported'],
      ['n_not_within_range', { prompt: 'a hat', n: 11 }, 'invalid value of n'],
    ])('answers %s word for word, as generations do', async (code, fields, message) => {
      const { client } = await fresh();

      const error = await edit(client, fields);

      expect(error.message).toBe(`400 ${message}`);
      expectDenial(error, 400, { message, code, param: null });
    });
  });

  describe('inputs that are wrong', () => {
    const post = async (path: string, key: string, body: FormData | string | Buffer, contentType?: string) => {
      const response = await fetch(`${suite.edgeUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, ...(contentType ? { 'content-type': contentType } : {}) },
        body,
      });
      return {
        status: response.status,
        tid: response.headers.get('x-tid'),
        error: ((await response.json()) as { error: Record<string, unknown> }).error,
      };
    };
    const form = (parts: Record<string, string | Blob>) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(parts)) body.append(name, value);
      return body;
    };

    it('refuses a form without its file, naming file', async () => {
      const { customer } = await fresh();

      const answer = await post('/v1/audio/transcriptions', customer.key, form({ model: 'whisper-1' }));

      expect(answer).toMatchObject({ status: 400, error: { code: 'invalid_request', param: 'file' } });
      expect(answer.error.tid).toBe(answer.tid);
    });

    it('refuses a part with a wrong name, and a field sent twice, naming each', async () => {
      const { customer } = await fresh();
      const wav = new Blob([THREE_SECONDS], { type: 'audio/wav' });

      const misnamed = await post('/v1/audio/transcriptions', customer.key, form({ model: 'whisper-1', files: wav }));
      const twice = form({ model: 'whisper-1', file: wav });
      twice.append('model', 'whisper-1');
      const repeated = await post('/v1/audio/transcriptions', customer.key, twice);
      const notNumber = await post(
        '/v1/images/edits',
        customer.key,
        form({ prompt: 'a hat', n: 'two', image: new Blob([PNG], { type: 'image/png' }) }),
      );

      expect(misnamed).toMatchObject({ status: 400, error: { param: 'files' } });
      expect(repeated).toMatchObject({ status: 400, error: { param: 'model' } });
      expect(notNumber).toMatchObject({ status: 400, error: { code: 'invalid_request', param: 'n' } });
    });

    it('refuses JSON on an upload route, and a form on a JSON route, with 415', async () => {
      const { customer } = await fresh();

      const json = await post('/v1/audio/transcriptions', customer.key, '{"model":"whisper-1"}', 'application/json');
      const misplaced = await post('/v1/chat/completions', customer.key, form({ model: 'gpt-4o-mini' }));

      expect(json).toMatchObject({ status: 415, error: { code: 'unsupported_media_type' } });
      expect(misplaced).toMatchObject({ status: 415, error: { code: 'unsupported_media_type' } });
    });

    it('answers a form over UPLOAD_LIMIT_BYTES with the documented 413, the tid in the body', async () => {
      const { customer } = await fresh();
      // Encoded whole first, so it goes with its Content-Length: the edge refuses it from the header, before the
      // body is read. (A client that streams a body far over the limit sees the connection close instead.)
      const encoded = new Response(form({ model: 'whisper-1', file: new Blob([sineWav(5)], { type: 'audio/wav' }) }));
      const body = Buffer.from(await encoded.arrayBuffer());
      expect(body.length).toBeGreaterThan(UPLOAD_LIMIT_BYTES);

      const answer = await post(
        '/v1/audio/transcriptions',
        customer.key,
        body,
        encoded.headers.get('content-type') ?? '',
      );

      expect(answer).toMatchObject({ status: 413, error: { code: 'payload_too_large' } });
      expect(answer.error.tid).toBe(answer.tid);
    });

    it('authenticates before it reads the form: no key is 401, whatever the form lacks', async () => {
      const response = await fetch(`${suite.edgeUrl}/v1/audio/transcriptions`, {
        method: 'POST',
        body: form({ model: 'whisper-1' }),
      });

      expect(response.status).toBe(401);
    });
  });
});
