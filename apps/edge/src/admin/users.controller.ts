import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  AuthSubjects,
  type CreatedKey,
  type KeyView,
  type Principal,
  type Role,
  type UserStatus,
  type UserView,
} from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { AdminArea, Caller } from '../principal/admin-principal.js';
import { AdminGuard } from '../principal/admin.guard.js';
import { NATS_BUS } from '../tokens.js';
import { AdminInput, unwrap } from './admin-input.js';
import { toKeyResponse, toUserResponse } from './admin-views.js';

/** Users and their keys (role admin or root; only root may touch root users). */
@Controller('admin/v1')
@UseGuards(AdminGuard)
@AdminArea('admin')
export class UsersController {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  @Post('users')
  @HttpCode(201)
  async create(@Caller() caller: Principal, @Body() body: unknown) {
    const input = AdminInput.of(body);
    const user: UserView = unwrap(
      await this.bus.request(AuthSubjects.createUser, {
        actorRole: caller.role,
        name: input.requiredString('name'),
        email: input.nullableString('email'),
        role: input.string('role') as Role | undefined,
        group: input.string('group'),
      }),
    );
    return toUserResponse(user);
  }

  @Get('users')
  async list(@Query('limit') limit?: string, @Query('cursor') cursor?: string) {
    const page = unwrap(
      await this.bus.request(AuthSubjects.listUsers, {
        limit: limit ? Number(limit) || 50 : 50,
        cursor: cursor ?? null,
      }),
    );
    return { object: 'list', data: page.data.map(toUserResponse), next_cursor: page.nextCursor };
  }

  @Get('users/:userId')
  async get(@Param('userId') userId: string) {
    return toUserResponse(unwrap(await this.bus.request(AuthSubjects.getUser, { userId })));
  }

  @Patch('users/:userId')
  async update(@Caller() caller: Principal, @Param('userId') userId: string, @Body() body: unknown) {
    const input = AdminInput.of(body);
    const user = unwrap(
      await this.bus.request(AuthSubjects.updateUser, {
        actorRole: caller.role,
        userId,
        name: input.string('name'),
        email: input.nullableString('email'),
        role: input.string('role') as Role | undefined,
        group: input.string('group'),
        status: input.string('status') as UserStatus | undefined,
      }),
    );
    return toUserResponse(user);
  }

  /** The only response that ever shows the key: it is stored as a hash. */
  @Post('users/:userId/keys')
  @HttpCode(201)
  async createKey(@Caller() caller: Principal, @Param('userId') userId: string, @Body() body: unknown) {
    const input = AdminInput.of(body);
    const created: CreatedKey = unwrap(
      await this.bus.request(AuthSubjects.createKey, {
        actorRole: caller.role,
        userId,
        name: input.string('name'),
        expiresAt: input.nullableString('expires_at'),
        allowedModels: input.nullableStringList('allowed_models'),
        allowedIpRanges: input.nullableStringList('allowed_ip_ranges'),
        budgetMicros: input.nullableMoney('budget'),
        rpmLimit: input.nullableInteger('rpm_limit'),
      }),
    );
    return { ...toKeyResponse(created), key: created.key };
  }

  @Get('users/:userId/keys')
  async listKeys(@Param('userId') userId: string) {
    const keys: KeyView[] = unwrap(await this.bus.request(AuthSubjects.listKeys, { userId }));
    return { object: 'list', data: keys.map(toKeyResponse) };
  }

  @Patch('keys/:keyId')
  async updateKey(@Caller() caller: Principal, @Param('keyId') keyId: string, @Body() body: unknown) {
    const input = AdminInput.of(body);
    const key = unwrap(
      await this.bus.request(AuthSubjects.updateKey, {
        actorRole: caller.role,
        keyId,
        name: input.string('name'),
        expiresAt: input.nullableString('expires_at'),
        allowedModels: input.nullableStringList('allowed_models'),
        allowedIpRanges: input.nullableStringList('allowed_ip_ranges'),
        budgetMicros: input.nullableMoney('budget'),
        rpmLimit: input.nullableInteger('rpm_limit'),
      }),
    );
    return toKeyResponse(key);
  }

  @Post('keys/:keyId/revoke')
  @HttpCode(200)
  async revokeKey(@Caller() caller: Principal, @Param('keyId') keyId: string) {
    return toKeyResponse(unwrap(await this.bus.request(AuthSubjects.revokeKey, { actorRole: caller.role, keyId })));
  }
}
