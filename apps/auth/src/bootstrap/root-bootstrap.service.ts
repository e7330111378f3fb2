import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthSubjects, type EventSubject, type UserRecord } from '@tollgate/contracts';
import type { Logger } from '@tollgate/observability';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import { generateKey, hashKey, isWellFormedKey, keyDisplay } from '../keys/key-material.js';
import { LOGGER, NATS_BUS } from '../tokens.js';
import { toUserRecord } from '../users/user.entity.js';
import { writeRootKeyFile } from './root-key-file.js';

/**
 * First start: with no users at all, create a root user and key. A generated
 * key is written to <DATA_DIR>/root-key (mode 0600) before the root's rows,
 * and a start that cannot write it creates nothing. It is never logged: stdout
 * is a log stream in a container or under `npm start`, so the key is shown
 * there only when stdout is a terminal; the log says where the file is. A
 * key taken from TOLLGATE_ROOT_KEY is the operator's already. A
 * transaction-scoped advisory lock makes replicas starting together create
 * exactly one root.
 */
/** What bootstrap needs from the bus (NatsBus in the app): tell listeners the root exists. */
export interface UserCreatedBus {
  broadcast(target: EventSubject<UserRecord>, payload: UserRecord): void;
}

@Injectable()
export class RootBootstrapService implements OnApplicationBootstrap {
  constructor(
    private readonly db: DataSource,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NATS_BUS) private readonly bus: UserCreatedBus,
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
      // The file first, before any row: a start that cannot keep the key creates no root, since a
      // root whose key nobody has locks every operator out until the database is edited by hand.
      const file = configured ? null : await this.keepKey(key);
      const [user] = await tx.query<[{ id: string; group: string; status: 'active'; updatedAt: Date }]>(
        `INSERT INTO users (name, role, group_name, status) VALUES ('root', 'root', 'default', 'active')
         RETURNING id, group_name AS "group", status, updated_at AS "updatedAt"`,
      );
      const { prefix, last6 } = keyDisplay(key);
      await tx.query(
        `INSERT INTO api_keys (user_id, name, key_hash, prefix, last6, status) VALUES ($1, 'root', $2, $3, $4, 'active')`,
        [user.id, hashKey(key), prefix, last6],
      );
      return { key, userId: user.id, user, file };
    });
    if (!created) return;
    this.bus.broadcast(AuthSubjects.userCreated, toUserRecord(created.user));
    this.logger.info({ userId: created.userId }, 'root user created');
    if (!created.file) return;
    this.logger.info({ file: created.file }, 'root key written to its file (mode 0600), never to the log');
    if (process.stdout.isTTY) {
      // A person at a terminal, outside the JSON log: nothing ships this line to log storage.
      process.stdout.write(`\nTollgate root key (shown once, also in ${created.file}):\n  ${created.key}\n\n`);
    }
  }

  /** Writes a generated key to its file, or stops the start with what to do instead. */
  private async keepKey(key: string): Promise<string> {
    try {
      return await writeRootKeyFile(this.config.DATA_DIR, key);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(
        `cannot write the root key into DATA_DIR=${this.config.DATA_DIR} (${reason}); no root user was created. ` +
          'Make DATA_DIR writable by this process, or set TOLLGATE_ROOT_KEY (or TOLLGATE_ROOT_KEY_FILE)',
        { cause: error },
      );
    }
  }
}
