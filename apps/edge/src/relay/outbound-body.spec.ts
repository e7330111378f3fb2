import { describe, expect, it } from '@jest/globals';
import { OutboundBody, spliceIncludeUsage } from './outbound-body.js';

const rawOf = (body: unknown, space?: number): Buffer => Buffer.from(JSON.stringify(body, null, space));
const parse = (out: Buffer | string): unknown => JSON.parse(out.toString());

describe(OutboundBody.name, () => {
  const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

  it('forwards the received bytes themselves when nothing changes', () => {
    const raw = rawOf(chat);
    const sut = new OutboundBody(chat, raw, false);
    expect(sut.for('gpt-4o-mini')).toBe(raw);
    expect(sut.usageAddedByEdge).toBe(false);
  });

  it('splices include_usage into a stream request without serialising it again', () => {
    const body = { ...chat, stream: true };
    const raw = rawOf(body, 2);
    const sut = new OutboundBody(body, raw, true);
    const out = sut.for('gpt-4o-mini');
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(parse(out)).toEqual({ ...body, stream_options: { include_usage: true } });
    expect(sut.usageAddedByEdge).toBe(true);
  });

  it('sets include_usage in stream_options the client sent without it', () => {
    const body = { ...chat, stream: true, stream_options: { include_usage: false } };
    const sut = new OutboundBody(body, rawOf(body), true);
    expect(parse(sut.for('gpt-4o-mini'))).toEqual({ ...body, stream_options: { include_usage: true } });
    expect(sut.usageAddedByEdge).toBe(true);
  });

  it('leaves a stream request alone when the client asked for usage itself', () => {
    const body = { ...chat, stream: true, stream_options: { include_usage: true } };
    const raw = rawOf(body);
    const sut = new OutboundBody(body, raw, true);
    expect(sut.for('gpt-4o-mini')).toBe(raw);
    expect(sut.usageAddedByEdge).toBe(false);
  });

  it("writes the channel's model name when it maps the model, and remembers the result", () => {
    const body = { ...chat, stream: true };
    const sut = new OutboundBody(body, rawOf(body), true);
    const out = sut.for('gpt-4o-mini-2024-07-18');
    expect(parse(out)).toEqual({ ...body, model: 'gpt-4o-mini-2024-07-18', stream_options: { include_usage: true } });
    expect(sut.for('gpt-4o-mini-2024-07-18')).toBe(out);
  });

  it('writes a default model into a body that named none', () => {
    const body = { input: 'text' };
    const sut = new OutboundBody(body, rawOf(body), false);
    expect(parse(sut.for('omni-moderation-latest'))).toEqual({ input: 'text', model: 'omni-moderation-latest' });
  });
});

describe(spliceIncludeUsage.name, () => {
  it('adds the member before the closing brace, trailing whitespace and all', () => {
    expect(spliceIncludeUsage(Buffer.from('{"a":1}  \n'))?.toString()).toBe(
      '{"a":1,"stream_options":{"include_usage":true}}  \n',
    );
  });

  it('declines what it cannot splice safely', () => {
    expect(spliceIncludeUsage(Buffer.from('[1]'))).toBeNull();
    expect(spliceIncludeUsage(Buffer.from('}'))).toBeNull();
    expect(spliceIncludeUsage(Buffer.from('{ }'))).toBeNull();
  });
});
