import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Logger } from '@tollgate/observability';

export const SECRET_KEY_BYTES = 32;
export const SECRET_KEY_FILE = 'channel-secret-key';

const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Why a configured key is unusable, or null. Never includes the value itself. */
export function describeSecretKeyProblem(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return decodeSecretKey(trimmed)
    ? null
    : `must be ${SECRET_KEY_BYTES} bytes written as base64 or as ${SECRET_KEY_BYTES * 2} hex characters (e.g. \`openssl rand -base64 32\`)`;
}

/** 64 hex characters, or base64 / base64url of exactly 32 bytes; anything else is null. */
export function decodeSecretKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (HEX.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!BASE64.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === SECRET_KEY_BYTES ? bytes : null;
}

export interface SecretKeySource {
  /** CHANNEL_SECRET_KEY; empty = use (or create) the key file under dataDir. */
  configured: string;
  dataDir: string;
  logger: Logger;
}

/**
 * The key that encrypts upstream API keys at rest.
 *
 * With CHANNEL_SECRET_KEY set, that is the key. Without it nothing is derived
 * from anything guessable: on first start 32 bytes come from the CSPRNG and
 * are written to `<DATA_DIR>/channel-secret-key` (mode 0600, created
 * exclusively so that two replicas starting together on one disk keep the
 * same key), the way auth writes `<DATA_DIR>/root-key`; later starts read it.
 * Losing that file makes every stored upstream key unreadable, and replicas on
 * different hosts must share one key, so production sets CHANNEL_SECRET_KEY.
 * The key itself is never logged; only the file's path is.
 */
export async function resolveChannelSecretKey(source: SecretKeySource): Promise<Buffer> {
  if (source.configured.trim() !== '') {
    const key = decodeSecretKey(source.configured);
    if (!key) throw new Error(`CHANNEL_SECRET_KEY ${describeSecretKeyProblem(source.configured)}`);
    return key;
  }
  const dir = resolve(source.dataDir);
  const file = resolve(dir, SECRET_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing) return existing;

  await mkdir(dir, { recursive: true });
  const key = randomBytes(SECRET_KEY_BYTES);
  try {
    await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another replica won the race to create it: use its key, not ours.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readKeyFile(file);
      if (theirs) return theirs;
    }
    throw error;
  }
  // writeFile's mode is filtered by the umask; make sure it is owner-only.
  await chmod(file, 0o600);
  source.logger.warn(
    { file },
    'CHANNEL_SECRET_KEY is not set: generated the channel secret key into this file; back it up, ' +
      'and set CHANNEL_SECRET_KEY on every replica when they do not share this directory',
  );
  return key;
}

async function readKeyFile(file: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = decodeSecretKey(text);
  if (!key) throw new Error(`${file} does not hold a valid channel secret key (${describeSecretKeyProblem(text)})`);
  return key;
}
