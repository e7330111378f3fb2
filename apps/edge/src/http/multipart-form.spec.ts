import { describe, expect, it } from '@jest/globals';
import { FormData, Response } from 'undici';
import { readMultipartForm } from './multipart-form.js';

/** A form as a client's encoder writes it: the bytes and their content type (boundary included). */
async function encoded(build: (form: FormData) => void): Promise<{ raw: Buffer; contentType: string }> {
  const form = new FormData();
  build(form);
  const response = new Response(form);
  return { raw: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
}

describe(readMultipartForm.name, () => {
  it('reads text fields and file parts in order, keeping the bytes as they came', async () => {
    const { raw, contentType } = await encoded((form) => {
      form.append('model', 'whisper-1');
      form.append('file', new Blob([Buffer.from([1, 2, 3])], { type: 'audio/wav' }), 'tone.wav');
      form.append('timestamp_granularities[]', 'word');
      form.append('timestamp_granularities[]', 'segment');
    });

    const form = await readMultipartForm(raw, contentType);

    expect(form.raw).toBe(raw);
    expect(form.parts.map((part) => [part.name, part.filename, part.data.toString('hex')])).toEqual([
      ['model', null, Buffer.from('whisper-1').toString('hex')],
      ['file', 'tone.wav', '010203'],
      ['timestamp_granularities[]', null, Buffer.from('word').toString('hex')],
      ['timestamp_granularities[]', null, Buffer.from('segment').toString('hex')],
    ]);
    expect(form.parts[1].mimeType).toBe('audio/wav');
  });

  it('refuses a field that is not a list given twice, naming it', async () => {
    const { raw, contentType } = await encoded((form) => {
      form.append('model', 'whisper-1');
      form.append('model', 'gpt-4o-transcribe');
    });

    await expect(readMultipartForm(raw, contentType)).rejects.toMatchObject({
      denial: { reason: 'invalid_request', params: { param: 'model' } },
    });
  });

  it('refuses a body it cannot read as a form, naming the body', async () => {
    await expect(readMultipartForm(Buffer.from('not a form'), 'multipart/form-data')).rejects.toMatchObject({
      denial: { reason: 'invalid_request', params: { param: 'body' } },
    });
  });
});
