import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { SecretBox, SecretBoxOpenError } from './secret-box.js';

const PLAINTEXT = 'sk-proj-UpstreamSecretKey0123456789abcdefXYZ';

/** Flips one bit of the decoded payload at `index` (negative = from the end). */
function tamper(sealed: string, index: number): string {
  const raw = Buffer.from(sealed.slice(3), 'base64');
  const at = index < 0 ? raw.length + index : index;
  raw[at] = (raw[at] ?? 0) ^ 0x01;
  return `v1:${raw.toString('base64')}`;
}

describe(SecretBox.name, () => {
  const sut = new SecretBox(randomBytes(32));

  it('opens what it sealed', () => {
    expect(sut.open(sut.seal(PLAINTEXT))).toBe(PLAINTEXT);
    expect(sut.open(sut.seal(''))).toBe('');
    expect(sut.open(sut.seal('ключ-🔑'))).toBe('ключ-🔑');
  });

  it('never stores the plaintext and uses a fresh IV every time', () => {
    const first = sut.seal(PLAINTEXT);
    const second = sut.seal(PLAINTEXT);
    expect(first).not.toContain(PLAINTEXT);
    expect(first).not.toContain(PLAINTEXT.slice(-8));
    expect(first).not.toBe(second);
    expect(first.startsWith('v1:')).toBe(true);
  });

  it.each([
    ['the IV', 0],
    ['the ciphertext', 12],
    ['the authentication tag', -1],
  ])('detects a change to %s (GCM authentication)', (_part, index) => {
    expect(() => sut.open(tamper(sut.seal(PLAINTEXT), index))).toThrow(SecretBoxOpenError);
  });

  it('refuses a value sealed under another key', () => {
    const other = new SecretBox(randomBytes(32));
    expect(() => sut.open(other.seal(PLAINTEXT))).toThrow(SecretBoxOpenError);
  });

  it.each(['', 'v1:', 'v1:AAAA', 'v2:' + Buffer.alloc(40).toString('base64'), PLAINTEXT])(
    'refuses a malformed value %p',
    (sealed) => {
      expect(() => sut.open(sealed)).toThrow(SecretBoxOpenError);
    },
  );

  it('refuses a truncated value', () => {
    const sealed = sut.seal(PLAINTEXT);
    expect(() => sut.open(sealed.slice(0, -8))).toThrow(SecretBoxOpenError);
  });

  it('only takes a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('32 bytes');
  });
});
