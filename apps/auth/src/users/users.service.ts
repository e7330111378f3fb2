import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import {
  AuthSubjects,
  LIMITS,
  ok,
  refused,
  type CreateUserRequest,
  type Page,
  type PageRequest,
  type Reply,
  type Role,
  type UpdateUserRequest,
  type UserView,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { NATS_BUS } from '../tokens.js';
import { toUserView, UserEntity } from './user.entity.js';

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
    @Inject(NATS_BUS) private readonly bus: NatsBus,
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
    return ok(toUserView(user));
  }

  async list(request: PageRequest): Promise<Reply<Page<UserView>>> {
    const limit = Math.min(request.limit ?? DEFAULT_PAGE, LIMITS.usersPage);
    const query = this.users
      .createQueryBuilder('u')
      .orderBy('u.id', 'ASC')
      .take(limit + 1);
    if (request.cursor) query.where('u.id > :cursor', { cursor: request.cursor });
    const rows = await query.getMany();
    const page = rows.slice(0, limit);
    return ok({
      data: page.map(toUserView),
      nextCursor: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
    });
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
    if (request.name !== undefined) user.name = request.name.trim();
    if (request.email !== undefined) user.email = request.email;
    if (request.role !== undefined) user.role = request.role;
    if (request.group !== undefined) user.group = request.group;
    if (request.status !== undefined) user.status = request.status;
    const saved = await this.users.save(user);
    // Suspensions and role changes apply at once on every replica's cache.
    this.bus.broadcast(AuthSubjects.invalidated, { userIds: [saved.id] });
    return ok(toUserView(saved));
  }

  find(userId: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id: userId });
  }
}
