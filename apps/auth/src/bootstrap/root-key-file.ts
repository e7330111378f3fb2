import { mkdir, open } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Writes a generated root key to <dataDir>/root-key, readable by its owner
 * only, and returns the file's path. The file is truncated and made 0600
 * before the key is written, so that a file left behind with wider
 * permissions (or a umask that loosened the creation mode) never holds the
 * new key readable by others, even for a moment.
 */
export async function writeRootKeyFile(dataDir: string, key: string): Promise<string> {
  await mkdir(resolve(dataDir), { recursive: true });
  const file = resolve(dataDir, 'root-key');
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(`${key}\n`);
  } finally {
    await handle.close();
  }
  return file;
}
