import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import {
  AuthSubjects,
  ROLES,
  USER_STATUSES,
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

const invalid = (param: string, detail: string) => refused<never>(deny(DenialReason.InvalidRequest, { param, detail }));
const forbidden = () => refused<never>(deny(DenialReason.InsufficientPermissions));

/** Only root may create root users or change them (issue: roles on the admin API). */
const mayManage = (actor: Role, targetRole: Role): boolean => targetRole !== 'root' || actor === 'root';

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
    const problem = validateUserFields(request);
    if (problem) return problem;
    if (typeof request.name !== 'string' || request.name.trim() === '') return invalid('name', 'name is required');
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
    const limit = Math.min(Math.max(request.limit ?? 50, 1), 500);
    if (request.cursor && !isUuid(request.cursor)) return invalid('cursor', 'cursor is not valid');
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
    const problem = validateUserFields(request);
    if (problem) return problem;
    const user = await this.find(request.userId);
    if (!user) return refused(deny(DenialReason.ResourceNotFound, { detail: 'no such user' }));
    if (!mayManage(request.actorRole, user.role) || !mayManage(request.actorRole, request.role ?? user.role)) {
      return forbidden();
    }
    if (request.name !== undefined) {
      if (request.name.trim() === '') return invalid('name', 'name must not be empty');
      user.name = request.name.trim();
    }
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
    return isUuid(userId) ? this.users.findOneBy({ id: userId }) : Promise.resolve(null);
  }
}

function validateUserFields(request: Partial<CreateUserRequest & UpdateUserRequest>): Reply<never> | null {
  if (request.role !== undefined && !ROLES.includes(request.role)) {
    return invalid('role', `role must be one of ${ROLES.join(', ')}`);
  }
  if (request.status !== undefined && !USER_STATUSES.includes(request.status)) {
    return invalid('status', `status must be one of ${USER_STATUSES.join(', ')}`);
  }
  if (request.group !== undefined && (typeof request.group !== 'string' || !/^[\w.-]{1,64}$/.test(request.group))) {
    return invalid('group', 'group must be 1–64 letters, digits, dots, dashes or underscores');
  }
  if (
    request.email !== undefined &&
    request.email !== null &&
    (typeof request.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(request.email))
  ) {
    return invalid('email', 'email is not valid');
  }
  return null;
}
