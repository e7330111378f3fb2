import { afterEach, describe, expect, it } from '@jest/globals';
import type { Page, UserRecord } from '@tollgate/contracts';
import { eventually } from '@tollgate/testing';
import { FakeUserDirectory } from '../testing/fake-user-directory.js';
import { useBillingDatabase } from '../testing/test-database.js';
import { UserCatchUp } from './user-catch-up.js';

/** Auth whose directory counts the passes that start, and can hold a pass at its first page. */
class CountingDirectory extends FakeUserDirectory {
  passes = 0;
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.gate = null;
    this.open();
  }

  override async page(cursor: string | null): Promise<Page<UserRecord>> {
    if (cursor === null) this.passes++;
    if (this.gate) await this.gate;
    return super.page(cursor);
  }
}

describe(UserCatchUp.name, () => {
  const { billing } = useBillingDatabase();
  const started: UserCatchUp[] = [];

  afterEach(async () => {
    for (const catchUp of started.splice(0)) await catchUp.onModuleDestroy();
  });

  function catchUpWith(auth: FakeUserDirectory, intervalMs = 60_000) {
    const reconnects: Array<() => void> = [];
    const sut = new UserCatchUp(
      billing.knownUsers,
      auth,
      { onReconnect: (hook) => reconnects.push(hook) },
      { USER_SYNC_INTERVAL_MS: intervalMs },
      billing.logger,
    );
    started.push(sut);
    return { sut, reconnect: () => reconnects.forEach((hook) => hook()) };
  }

  it('reads every page of the directory into the users billing knows', async () => {
    const auth = new FakeUserDirectory();
    const users = Array.from({ length: 5 }, () => auth.add().id);
    const { sut } = catchUpWith(auth);

    expect(await sut.catchUp()).toBe(5);

    expect(await billing.knownUsers.knownAmong(users)).toEqual(new Set(users));
  });

  it('catches up at start, again when NATS is back, and once more after a pass asked for while one ran', async () => {
    const auth = new CountingDirectory();
    const { sut, reconnect } = catchUpWith(auth);

    auth.hold();
    sut.onApplicationBootstrap();
    expect(auth.passes).toBe(1);
    // A user created while the first pass is held, and two reconnects meanwhile: one more pass, not two.
    const createdMeanwhile = auth.add().id;
    reconnect();
    reconnect();
    auth.release();
    await sut.idle();

    expect(auth.passes).toBe(2);
    expect(await billing.knownUsers.knownAmong([createdMeanwhile])).toEqual(new Set([createdMeanwhile]));
    reconnect();
    await sut.idle();
    expect(auth.passes).toBe(3);
  });

  it('retries a pass auth did not answer until it does', async () => {
    const auth = new CountingDirectory();
    const user = auth.add().id;
    auth.answering = false;
    const { sut } = catchUpWith(auth);

    sut.onApplicationBootstrap();
    await eventually(() => expect(auth.passes).toBeGreaterThanOrEqual(2), { timeoutMs: 5_000 });
    expect(await billing.knownUsers.knownAmong([user])).toEqual(new Set());
    auth.answering = true;

    await eventually(async () => expect(await billing.knownUsers.knownAmong([user])).toEqual(new Set([user])), {
      timeoutMs: 10_000,
    });
  });

  it('reads the directory again every USER_SYNC_INTERVAL_MS, and no more once stopped', async () => {
    const auth = new CountingDirectory();
    const { sut } = catchUpWith(auth, 50);

    sut.onApplicationBootstrap();
    await eventually(() => expect(auth.passes).toBeGreaterThanOrEqual(3), { timeoutMs: 5_000 });
    await sut.onModuleDestroy();
    const passes = auth.passes;
    sut.request('reconnect');
    await sut.idle();

    expect(auth.passes).toBe(passes);
  });
});
