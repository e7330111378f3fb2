import { Controller, Inject } from '@nestjs/common';
import { ADMIN_ROUTES as R, AuthSubjects, type Principal } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';
import { Checked, Serve, type CheckedInput } from '../http/route.decorator.js';
import { Caller } from '../principal/admin-principal.js';
import { NATS_BUS } from '../tokens.js';
import { moneyToMicros, unwrap } from './admin-input.js';
import { toKeyResponse, toUserResponse } from './admin-views.js';

/** Users and their keys (role admin or root; only root may touch root users). */
@Controller()
export class UsersController {
  constructor(@Inject(NATS_BUS) private readonly bus: NatsBus) {}

  @Serve(R.createUser)
  async create(@Caller() caller: Principal, @Checked() { body }: CheckedInput<typeof R.createUser>) {
    const user = unwrap(await this.bus.request(AuthSubjects.createUser, { actorRole: caller.role, ...body }));
    return toUserResponse(user);
  }

  @Serve(R.listUsers)
  async list(@Checked() { query }: CheckedInput<typeof R.listUsers>) {
    const page = unwrap(
      await this.bus.request(AuthSubjects.listUsers, {
        limit: query.limit ?? 50,
        cursor: query.cursor ?? null,
        search: query.search ?? null,
      }),
    );
    return { object: 'list' as const, data: page.data.map(toUserResponse), next_cursor: page.nextCursor };
  }

  @Serve(R.getUser)
  async get(@Checked() { params }: CheckedInput<typeof R.getUser>) {
    return toUserResponse(unwrap(await this.bus.request(AuthSubjects.getUser, { userId: params.user_id })));
  }

  @Serve(R.updateUser)
  async update(@Caller() caller: Principal, @Checked() { params, body }: CheckedInput<typeof R.updateUser>) {
    const user = unwrap(
      await this.bus.request(AuthSubjects.updateUser, { actorRole: caller.role, userId: params.user_id, ...body }),
    );
    return toUserResponse(user);
  }

  @Serve(R.createKey)
  async createKey(@Caller() caller: Principal, @Checked() { params, body }: CheckedInput<typeof R.createKey>) {
    const created = unwrap(
      await this.bus.request(AuthSubjects.createKey, {
        actorRole: caller.role,
        userId: params.user_id,
        ...keyFields(body),
      }),
    );
    return { ...toKeyResponse(created), key: created.key };
  }

  @Serve(R.listKeys)
  async listKeys(@Checked() { params }: CheckedInput<typeof R.listKeys>) {
    const keys = unwrap(await this.bus.request(AuthSubjects.listKeys, { userId: params.user_id }));
    return { object: 'list' as const, data: keys.map(toKeyResponse) };
  }

  @Serve(R.updateKey)
  async updateKey(@Caller() caller: Principal, @Checked() { params, body }: CheckedInput<typeof R.updateKey>) {
    const key = unwrap(
      await this.bus.request(AuthSubjects.updateKey, {
        actorRole: caller.role,
        keyId: params.key_id,
        ...keyFields(body),
      }),
    );
    return toKeyResponse(key);
  }

  @Serve(R.revokeKey)
  async revokeKey(@Caller() caller: Principal, @Checked() { params }: CheckedInput<typeof R.revokeKey>) {
    return toKeyResponse(
      unwrap(await this.bus.request(AuthSubjects.revokeKey, { actorRole: caller.role, keyId: params.key_id })),
    );
  }
}

/** The admin API's key fields as auth takes them: camelCase, the budget in micro-units. */
function keyFields(body: CheckedInput<typeof R.createKey>['body']) {
  return {
    name: body.name,
    expiresAt: body.expires_at,
    allowedModels: body.allowed_models,
    allowedIpRanges: body.allowed_ip_ranges,
    budgetMicros: body.budget === undefined || body.budget === null ? body.budget : moneyToMicros(body.budget),
    rpmLimit: body.rpm_limit,
  };
}
