import { describe, expect, it } from '@jest/globals';
import { FormData, Response } from 'undici';
import { readMultipartForm, type MultipartForm } from '../../http/multipart-form.js';
import { MultipartOutbound } from './multipart-outbound.js';

const AUDIO = Buffer.from([0x52, 0x49, 0x46, 0x46, 0, 1, 2, 3]);

async function clientForm(withModel: boolean): Promise<MultipartForm> {
  const form = new FormData();
  if (withModel) form.append('model', 'my-model');
  form.append('file', new Blob([AUDIO], { type: 'audio/wav' }), 'tone.wav');
  form.append('prompt', 'a tone');
  const response = new Response(form);
  return readMultipartForm(Buffer.from(await response.arrayBuffer()), response.headers.get('content-type') ?? '');
}

/** What an upstream reads from the bytes sent: the same parser a server would use. */
const upstreamReads = (bytes: Buffer, contentType: string) =>
  new Response(bytes, { headers: { 'content-type': contentType } }).formData();

describe(MultipartOutbound.name, () => {
  it("sends the client's own bytes and content type when the channel serves the model by the form's name", async () => {
    const form = await clientForm(true);
    const sut = new MultipartOutbound(form, 'my-model');

    await sut.prepare('my-model');

    expect(sut.for('my-model')).toBe(form.raw);
    expect(sut.contentType('my-model')).toBe(form.contentType);
  });

  it("re-encodes the form with the channel's model, every other part as it came", async () => {
    const sut = new MultipartOutbound(await clientForm(true), 'my-model');

    await sut.prepare('deployment-eu');
    const sent = await upstreamReads(sut.for('deployment-eu'), sut.contentType('deployment-eu'));

    expect([...sent.keys()]).toEqual(['model', 'file', 'prompt']);
    expect(sent.get('model')).toBe('deployment-eu');
    expect(sent.get('prompt')).toBe('a tone');
    const file = sent.get('file') as File;
    expect([file.name, file.type, Buffer.from(await file.arrayBuffer())]).toEqual(['tone.wav', 'audio/wav', AUDIO]);
  });

  it('adds the model a form did not name (an endpoint default)', async () => {
    const sut = new MultipartOutbound(await clientForm(false), null);

    await sut.prepare('dall-e-2');
    const sent = await upstreamReads(sut.for('dall-e-2'), sut.contentType('dall-e-2'));

    expect(sent.get('model')).toBe('dall-e-2');
  });

  it('refuses to send a form for a model it did not prepare', async () => {
    const sut = new MultipartOutbound(await clientForm(true), 'my-model');

    expect(() => sut.for('other')).toThrow('not prepared');
  });
});
