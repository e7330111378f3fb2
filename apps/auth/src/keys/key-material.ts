import { createHash, randomBytes } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const KEY_BODY_LENGTH = 48;
const KEY_PATTERN = /^sk-[A-Za-z0-9]{48}$/;

/**
 * `sk-` + 48 base62 characters from the CSPRNG. Bytes ≥ 248 are rejected so
 * that every character is equally likely (248 = 4 × 62).
 */
export function generateKey(): string {
  let body = '';
  while (body.length < KEY_BODY_LENGTH) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && body.length < KEY_BODY_LENGTH) body += BASE62[byte % 62];
    }
  }
  return `sk-${body}`;
}

export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** Keys are high-entropy random strings, so a plain SHA-256 is the right hash (no salt or KDF needed). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export interface PresentedKey {
  key: string;
  /** The `-<channelId>` suffix existing relays use to pin a channel; raw, validated by router. */
  pinnedChannel: string | null;
}

/**
 * Splits `sk-<key>-<channelId>`: base62 has no `-`, so anything after a second
 * dash is the pin. The pin's format is checked by router (400 invalid channel ID).
 */
export function parsePresentedKey(token: string): PresentedKey {
  const dash = token.startsWith('sk-') ? token.indexOf('-', 3) : -1;
  if (dash === -1) return { key: token, pinnedChannel: null };
  return { key: token.slice(0, dash), pinnedChannel: token.slice(dash + 1) };
}

export function keyDisplay(key: string): { prefix: string; last6: string } {
  return { prefix: key.slice(0, 7), last6: key.slice(-6) };
}
