import { describe, expect, it } from '@jest/globals';
import { upstreamBody } from '../testing/relay-fixtures.js';
import { readAnswerBytes } from './upstream-body.js';

async function* brokenOff(): AsyncGenerator<string> {
  yield '{"input_to';
  throw new Error('other side closed');
}

describe(readAnswerBytes.name, () => {
  it('reads a success whole and a refusal as its bytes', async () => {
    expect((await readAnswerBytes(200, upstreamBody(['{"input_', 'tokens":9}'])))?.toString()).toBe(
      '{"input_tokens":9}',
    );
    expect((await readAnswerBytes(404, upstreamBody(['{"error":{}}'])))?.toString()).toBe('{"error":{}}');
  });

  it('answers null for a success that broke off, and no bytes for a refusal that did', async () => {
    await expect(readAnswerBytes(200, upstreamBody(brokenOff()))).resolves.toBeNull();
    expect((await readAnswerBytes(500, upstreamBody(brokenOff())))?.length).toBe(0);
  });
});
