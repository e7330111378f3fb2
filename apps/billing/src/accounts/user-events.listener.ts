import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { USER_LIFECYCLE_EVENTS, type EventSubject, type UserRecord } from '@tollgate/contracts';
import { checkEvent } from '@tollgate/nats/server';
import type { Logger } from '@tollgate/observability';
import { LOGGER, NATS_BUS } from '../tokens.js';
import { KnownUsersRepository } from './known-users.repository.js';

/** What the listener needs from the bus (NatsBus in the app): every replica hears every user event. */
export interface UserEventBus {
  onBroadcast(target: EventSubject<UserRecord>, handler: (payload: UserRecord) => void): unknown;
}

/**
 * Records what auth broadcasts about users (created, suspended or
 * reinstated, moved to another group) as it happens. Every replica records
 * each event; the writes are idempotent, so one replica missing an event
 * changes nothing as long as another did not. What all of them missed, the
 * catch-up reads back (UserCatchUp).
 */
@Injectable()
export class UserEventsListener implements OnModuleInit {
  constructor(
    private readonly known: KnownUsersRepository,
    @Inject(NATS_BUS) private readonly bus: UserEventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    for (const target of USER_LIFECYCLE_EVENTS) {
      this.bus.onBroadcast(target, (payload) => void this.handle(target, payload));
    }
  }

  /**
   * Broadcasts are not checked on arrival (see NatsBus.onBroadcast), and
   * this one is written to the database: what is not a UserRecord is logged
   * and dropped. A failed write is logged; the next catch-up writes it.
   */
  async handle(target: EventSubject<UserRecord>, payload: unknown): Promise<void> {
    let record: UserRecord;
    try {
      record = checkEvent(target, payload);
    } catch (error) {
      this.logger.error({ err: error, subject: target.name }, 'a user event that is not a user record; ignored');
      return;
    }
    try {
      await this.known.record([record]);
    } catch (error) {
      this.logger.error({ err: error, userId: record.id }, 'could not record a user event; the next catch-up will');
    }
  }
}
