import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from '@tollgate/observability';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import { generateKey, hashKey, isWellFormedKey, keyDisplay } from '../keys/key-material.js';
import { LOGGER } from '../tokens.js';

/**
 * First start: with no users at all, create a root user and key. The key is
 * shown once on stdout and written to <DATA_DIR>/root-key (mode 0600), or
 * taken from TOLLGATE_ROOT_KEY. A transaction-scoped advisory lock makes
 * replicas starting together create exactly one root.
 */
@Injectable()
export class RootBootstrapService implements OnApplicationBootstrap {
  constructor(
    private readonly db: DataSource,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const configured = this.config.TOLLGATE_ROOT_KEY;
    if (configured && !isWellFormedKey(configured)) {
      throw new Error('TOLLGATE_ROOT_KEY must be sk- followed by 48 letters and digits');
    }
    const created = await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tollgate-root-bootstrap'))`);
      const [{ count }] = await tx.query<[{ count: number }]>(`SELECT count(*)::int AS count FROM users`);
      if (count > 0) return null;
      const key = configured || generateKey();
      const [user] = await tx.query<[{ id: string }]>(
        `INSERT INTO users (name, role, group_name, status) VALUES ('root', 'root', 'default', 'active') RETURNING id`,
      );
      const { prefix, last6 } = keyDisplay(key);
      await tx.query(
        `INSERT INTO api_keys (user_id, name, key_hash, prefix, last6, status) VALUES ($1, 'root', $2, $3, $4, 'active')`,
        [user.id, hashKey(key), prefix, last6],
      );
      return { key, userId: user.id, generated: !configured };
    });
    if (!created) return;
    this.logger.info({ userId: created.userId }, 'root user created');
    if (created.generated) {
      const file = resolve(this.config.DATA_DIR, 'root-key');
      await mkdir(resolve(this.config.DATA_DIR), { recursive: true });
      await writeFile(file, `${created.key}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
      // Printed once, on purpose outside the JSON log so that it is not shipped to log storage.
      process.stdout.write(`\nTollgate root key (shown once, also in ${file}):\n  ${created.key}\n\n`);
    }
  }
}
