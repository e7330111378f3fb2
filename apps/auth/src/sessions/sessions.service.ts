import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ok,
  refused,
  SESSION_TOKEN_PATTERN,
  STAFF_ROLES,
  type CloseSessionRequest,
  type OpenedSession,
  type OpenSessionRequest,
  type Reply,
  type SessionRequest,
  type SessionView,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { noteDecision } from '@tollgate/nats';
import { AUTH_CONFIG, type AuthConfig } from '../auth.config.js';
import {
  AuthenticateService,
  KEY_RECORD_COLUMNS,
  toPrincipal,
  toRecord,
  type KeyRow,
} from '../authenticate/authenticate.service.js';
import { hashKey } from '../keys/key-material.js';

interface SessionRow extends KeyRow {
  session_expires_at: Date;
  user_name: string;
  email: string | null;
  key_name: string;
}

const TOKEN = new RegExp(SESSION_TOKEN_PATTERN);
const STAFF: ReadonlySet<string> = new Set(STAFF_ROLES);

/**
 * Console sessions: a staff key presented once at sign-in is exchanged for a
 * random session token that the edge sets as an HttpOnly cookie, so the key
 * never stays in the browser. The sessions live here, in auth's database,
 * not in an edge's memory: any edge replica can serve any request of a
 * session, and signing out ends it on all of them at once. Only the token's
 * SHA-256 is stored (a 32-byte random token needs no salt or KDF, as keys).
 *
 * A session is its key's: every request made with it checks the key and its
 * owner again (AuthenticateService.admit), so revoking the key, letting it
 * expire, suspending the user or leaving the key's IP ranges ends it. It also
 * ends at CONSOLE_SESSION_TTL_MS after sign-in, or at the key's own expiry
 * if that comes first.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: DataSource,
    private readonly authentication: AuthenticateService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async open(request: OpenSessionRequest): Promise<Reply<OpenedSession>> {
    const presented = await this.authentication.authenticate({ ...request, model: null });
    if (!presented.ok) return presented;
    const principal = presented.value;
    // Sign-in names a key, not a channel: a pinned suffix is not a staff key as typed.
    if (principal.pinnedChannel !== null) return refused(deny(DenialReason.InvalidAccessToken));
    if (!STAFF.has(principal.role)) {
      return noteDecision(refused(deny(DenialReason.InsufficientPermissions)), 'console sign-in refused', {
        keyId: principal.keyId,
        userId: principal.userId,
      });
    }
    const token = `tgs_${randomBytes(32).toString('base64url')}`;
    const ttlEnds = Date.now() + this.config.CONSOLE_SESSION_TTL_MS;
    const expiresAt = new Date(principal.expiresAt === null ? ttlEnds : Math.min(ttlEnds, principal.expiresAt));
    // Sessions that ended are deleted by the next sign-in: the table holds only live ones (and their index).
    await this.db.query(`DELETE FROM console_sessions WHERE expires_at <= now()`);
    await this.db.query(`INSERT INTO console_sessions (token_hash, key_id, expires_at) VALUES ($1, $2, $3)`, [
      hashKey(token),
      principal.keyId,
      expiresAt,
    ]);
    const session = await this.resolve({ token, clientIp: request.clientIp });
    if (!session.ok) return session;
    return noteDecision(ok({ token, session: session.value }), 'console session opened', {
      keyId: principal.keyId,
      userId: principal.userId,
    });
  }

  async resolve(request: SessionRequest): Promise<Reply<SessionView>> {
    if (!TOKEN.test(request.token)) return refused(deny(DenialReason.InvalidAccessToken));
    const rows: SessionRow[] = await this.db.query(
      `SELECT ${KEY_RECORD_COLUMNS}, s.expires_at AS session_expires_at, u.name AS user_name, u.email,
              k.name AS key_name
         FROM console_sessions s
         JOIN api_keys k ON k.id = s.key_id
         JOIN users u ON u.id = k.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [hashKey(request.token)],
    );
    const row = rows[0];
    const admitted = this.authentication.admit(
      row ? toRecord(row) : null,
      { clientIp: request.clientIp, model: null, pinnedChannel: null },
      Date.now(),
    );
    if (!admitted.ok || !row) return admitted.ok ? refused(deny(DenialReason.InvalidAccessToken)) : admitted;
    // The role is checked again: a user demoted to `user` keeps no console.
    if (!STAFF.has(admitted.value.role)) return refused(deny(DenialReason.InsufficientPermissions));
    return ok({
      principal: toPrincipal(admitted.value, row.last6, null),
      userName: row.user_name,
      email: row.email,
      keyName: row.key_name,
      expiresAt: row.session_expires_at.toISOString(),
    });
  }

  async close(request: CloseSessionRequest): Promise<Reply<{ closed: boolean }>> {
    if (!TOKEN.test(request.token)) return ok({ closed: false });
    const deleted: [unknown[], number] = await this.db.query(`DELETE FROM console_sessions WHERE token_hash = $1`, [
      hashKey(request.token),
    ]);
    return ok({ closed: deleted[1] > 0 });
  }
}
