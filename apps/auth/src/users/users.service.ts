import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type Repository } from 'typeorm';
import {
  AuthSubjects,
  isUuid,
  LIMITS,
  ok,
  refused,
  type CreateUserRequest,
  type EventSubject,
  type Page,
  type UserListRequest,
  type Reply,
  type Role,
  type UpdateUserRequest,
  type UserDirectoryRequest,
  type UserLookupRequest,
  type UserRecord,
  type UserView,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { NATS_BUS } from '../tokens.js';
import { toUserRecord, toUserView, UserEntity } from './user.entity.js';

/** What this service needs from the bus (NatsBus in the app): tell every listener what changed. */
export interface UserChangeBus {
  broadcast<Payload>(target: EventSubject<Payload>, payload: Payload): void;
}

/** What auth answers when no page size is asked for. */
const DEFAULT_PAGE = 50;

const forbidden = () => refused<never>(deny(DenialReason.InsufficientPermissions));

/** Only root may create root users or change them (issue: roles on the admin API). */
const mayManage = (actor: Role, targetRole: Role): boolean => targetRole !== 'root' || actor === 'root';

/**
 * Users, as the admin API manages them. Every request is the shape its
 * subject declares (checked on arrival, see AuthController); what is left
 * here is what depends on the caller and on stored users, and tidying what
 * is kept (a name without its surrounding spaces).
 */
@Injectable()
export class UsersService {
  private readonly users: Repository<UserEntity>;

  constructor(
    db: DataSource,
    @Inject(NATS_BUS) private readonly bus: UserChangeBus,
  ) {
    this.users = db.getRepository(UserEntity);
  }

  async create(request: CreateUserRequest): Promise<Reply<UserView>> {
    const role = request.role ?? 'user';
    if (!mayManage(request.actorRole, role)) return forbidden();
    const user = await this.users.save(
      this.users.create({
        name: request.name.trim(),
        email: request.email ?? null,
        role,
        group: request.group ?? 'default',
        status: 'active',
      }),
    );
    // After the commit, so a listener that hears of the user finds it when it asks.
    this.bus.broadcast(AuthSubjects.userCreated, toUserRecord(user));
    return ok(toUserView(user));
  }

  /**
   * A page of users in id order; with a search, those whose name or e-mail
   * contains it in any case, or whose id it is. A scan with ILIKE: staff
   * search a few thousand customers, where a trigram index would cost an
   * extension this schema does not otherwise need.
   */
  async list(request: UserListRequest): Promise<Reply<Page<UserView>>> {
    const limit = Math.min(request.limit ?? DEFAULT_PAGE, LIMITS.usersPage);
    const query = this.users
      .createQueryBuilder('u')
      .orderBy('u.id', 'ASC')
      .take(limit + 1);
    if (request.cursor) query.andWhere('u.id > :cursor', { cursor: request.cursor });
    const search = request.search?.trim();
    if (search) {
      // The search is text, not a pattern: % _ and \ in it match themselves.
      const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const byId = isUuid(search) ? ' OR u.id = :id' : '';
      query.andWhere(`(u.name ILIKE :pattern OR u.email ILIKE :pattern${byId})`, { pattern, id: search });
    }
    return ok(pageOf(await query.getMany(), limit, toUserView));
  }

  async get(userId: string): Promise<Reply<UserView>> {
    const user = await this.find(userId);
    return user ? ok(toUserView(user)) : refused(deny(DenialReason.ResourceNotFound, { detail: 'no such user' }));
  }

  async update(request: UpdateUserRequest): Promise<Reply<UserView>> {
    const user = await this.find(request.userId);
    if (!user) return refused(deny(DenialReason.ResourceNotFound, { detail: 'no such user' }));
    if (!mayManage(request.actorRole, user.role) || !mayManage(request.actorRole, request.role ?? user.role)) {
      return forbidden();
    }
    const before = { status: user.status, group: user.group };
    if (request.name !== undefined) user.name = request.name.trim();
    if (request.email !== undefined) user.email = request.email;
    if (request.role !== undefined) user.role = request.role;
    if (request.group !== undefined) user.group = request.group;
    if (request.status !== undefined) user.status = request.status;
    const saved = await this.users.save(user);
    // Suspensions and role changes apply at once on every replica's cache.
    this.bus.broadcast(AuthSubjects.invalidated, { userIds: [saved.id] });
    if (saved.status !== before.status) this.bus.broadcast(AuthSubjects.userStatusChanged, toUserRecord(saved));
    if (saved.group !== before.group) this.bus.broadcast(AuthSubjects.userGroupChanged, toUserRecord(saved));
    return ok(toUserView(saved));
  }

  /** Every user in id order, for a service that keeps its own list of them: a page after `cursor`. */
  async directory(request: UserDirectoryRequest): Promise<Reply<Page<UserRecord>>> {
    const limit = request.limit ?? LIMITS.userDirectoryPage;
    const query = this.users
      .createQueryBuilder('u')
      .select(['u.id', 'u.group', 'u.status', 'u.updatedAt'])
      .orderBy('u.id', 'ASC')
      .take(limit + 1);
    if (request.cursor) query.where('u.id > :cursor', { cursor: request.cursor });
    return ok(pageOf(await query.getMany(), limit, toUserRecord));
  }

  /** The users among `userIds` that exist; an id without a user is left out. */
  async lookup(request: UserLookupRequest): Promise<Reply<UserRecord[]>> {
    const found = await this.users.find({
      select: { id: true, group: true, status: true, updatedAt: true },
      where: { id: In(request.userIds) },
    });
    return ok(found.map(toUserRecord));
  }

  find(userId: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id: userId });
  }
}

/** `limit + 1` rows read in id order as a page of `limit`: the extra row only says there is a next page. */
function pageOf<T>(rows: UserEntity[], limit: number, view: (row: UserEntity) => T): Page<T> {
  const page = rows.slice(0, limit);
  return { data: page.map(view), nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null };
}
