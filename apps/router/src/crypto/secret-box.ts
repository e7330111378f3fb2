import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SECRET_KEY_BYTES } from './channel-secret-key.js';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The format version leads every sealed value, so a later scheme (or key rotation) can tell them apart. */
const PREFIX = 'v1:';
/**
 * Additional authenticated data: a sealed upstream key only opens as an
 * upstream key, not as some other secret sealed under the same key later.
 */
const AAD = Buffer.from('tollgate/router/channel-api-key');

/** Raised when a sealed value was altered, truncated or sealed under another key. */
export class SecretBoxOpenError extends Error {
  constructor() {
    super('sealed value could not be authenticated (tampered, truncated, or another key)');
    this.name = 'SecretBoxOpenError';
  }
}

/**
 * AES-256-GCM with a fresh random 96-bit IV per value. Output:
 * `v1:` + base64(iv ‖ ciphertext ‖ tag). GCM's tag makes any change to the
 * stored value fail to open instead of decrypting to garbage.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new Error(`a secret box key is ${SECRET_KEY_BYTES} bytes`);
    this.key = Buffer.from(key);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
  }

  open(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new SecretBoxOpenError();
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxOpenError();
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxOpenError();
    }
  }
}
