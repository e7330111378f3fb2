import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from '@tollgate/observability';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config.js';
import { LOGGER, NATS_BUS } from '../tokens.js';
import { KnownUsersRepository } from './known-users.repository.js';
import { USER_DIRECTORY, type UserDirectory } from './user-directory.js';

/** What the catch-up needs from the bus (NatsBus in the app): to hear when the connection is back. */
export interface ReconnectingBus {
  onReconnect(hook: () => void): void;
}

/** The first retry after a failed catch-up; each next one waits twice as long, up to USER_SYNC_INTERVAL_MS. */
const FIRST_RETRY_MS = 500;

/**
 * Reads every user from auth's directory, a page at a time, into
 * billing.known_users. The lifecycle events keep the table current while
 * billing listens; this covers the times it did not:
 *
 * - at start, for users created (or changed) while billing was down;
 * - when the NATS connection is back, for events broadcast while it was
 *   away (core NATS keeps nothing for an absent subscriber);
 * - every USER_SYNC_INTERVAL_MS, for an event lost while connected (a slow
 *   consumer's dropped message): this bounds how stale a status or group can
 *   be. Existence is never stale: an id not in the table is asked of auth
 *   before money is refused (UserRegistry).
 *
 * The events are subscribed before the first pass starts (UserEventsListener
 * subscribes in onModuleInit, this starts in onApplicationBootstrap), so a
 * change made during a pass is heard even if its page was already read. A
 * pass requested while one runs runs again after it: the running pass may
 * have read its pages before the reason for the new one (a reconnect). A
 * failed pass (auth away) is retried with back-off.
 */
@Injectable()
export class UserCatchUp implements OnApplicationBootstrap, OnModuleDestroy {
  private running?: Promise<void>;
  private again = false;
  private failures = 0;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private periodic?: NodeJS.Timeout;

  constructor(
    private readonly known: KnownUsersRepository,
    @Inject(USER_DIRECTORY) private readonly directory: UserDirectory,
    @Inject(NATS_BUS) private readonly bus: ReconnectingBus,
    @Inject(BILLING_CONFIG) private readonly config: Pick<BillingConfig, 'USER_SYNC_INTERVAL_MS'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.bus.onReconnect(() => this.request('reconnect'));
    this.periodic = setInterval(() => this.request('interval'), this.config.USER_SYNC_INTERVAL_MS);
    this.periodic.unref();
    // Not awaited: billing serves without it (auth may be starting too); UserRegistry asks auth meanwhile.
    this.request('start');
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.periodic);
    clearTimeout(this.retry);
    await this.running;
  }

  /** Starts a pass, or another one after the pass in progress. */
  request(reason: string): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.retry);
    this.running = this.pass(reason).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.request('requested during the last pass');
      }
    });
  }

  /** Resolves once no pass runs or follows the one running (a retry after a failure may still be scheduled). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** One whole pass over auth's directory; how many users it read. */
  async catchUp(): Promise<number> {
    let users = 0;
    let cursor: string | null = null;
    do {
      const page = await this.directory.page(cursor);
      await this.known.record(page.data);
      users += page.data.length;
      cursor = page.nextCursor;
    } while (cursor !== null && !this.stopped);
    return users;
  }

  private async pass(reason: string): Promise<void> {
    try {
      const users = await this.catchUp();
      this.failures = 0;
      this.logger.info({ users, reason }, 'caught up with the users auth knows');
    } catch (error) {
      this.failures++;
      const delay = Math.min(FIRST_RETRY_MS * 2 ** (this.failures - 1), this.config.USER_SYNC_INTERVAL_MS);
      this.logger.warn(
        { err: error, reason, retryInMs: delay },
        'could not catch up with the users auth knows; will retry',
      );
      if (this.stopped) return;
      this.retry = setTimeout(() => this.request('retry'), delay);
      this.retry.unref();
    }
  }
}
