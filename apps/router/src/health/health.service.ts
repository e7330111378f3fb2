import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  ok,
  refused,
  RouterSubjects,
  type ChannelHealthChange,
  type ChannelHealthView,
  type Reply,
  type UpstreamOutcome,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import type { Logger } from '@tollgate/observability';
import type { BroadcastBus } from '../broadcast-bus.js';
import { ChannelRegistry } from '../channels/channel-registry.js';
import { ChannelsService } from '../channels/channels.service.js';
import { providerFor } from '@tollgate/providers';
import { HEALTH_TRACKER, LOGGER, NATS_BUS } from '../tokens.js';
import { type HealthTracker, classifyOutcome } from '@tollgate/routing';
import { routerMetrics } from '../metrics/router-metrics.js';

/** Transitions ops may want to see in the log, with the level to log them at. */
const LOGGED: Partial<Record<ChannelHealthChange['transition'], 'info' | 'warn'>> = {
  circuit_opened: 'warn',
  circuit_closed: 'info',
  cooldown_started: 'info',
  re_enabled: 'info',
};

/**
 * Channel health across replicas: records the outcomes the edge reports
 * (one replica each, through the queue group), broadcasts every resulting
 * change, applies the changes other replicas broadcast, and turns dead keys
 * into `auto_disabled` in the database.
 */
@Injectable()
export class HealthService implements OnModuleInit {
  constructor(
    private readonly registry: ChannelRegistry,
    private readonly channels: ChannelsService,
    @Inject(HEALTH_TRACKER) private readonly tracker: HealthTracker,
    @Inject(NATS_BUS) private readonly bus: BroadcastBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    routerMetrics.watchChannelStates(() =>
      this.registry.table.channels.map((channel) => ({
        channelId: channel.id,
        state: this.tracker.describe(channel).state,
      })),
    );
    // Outside the queue group: every replica replays every other replica's health events.
    this.bus.onBroadcast(RouterSubjects.healthChanged, (change) => {
      const here = this.tracker.receive(change);
      // The origin logged its transition. Log here only when events crossed and this
      // replica saw another one (e.g. the failure that opened the circuit came from
      // elsewhere), so a transition is not logged once per replica.
      if (here && here.transition !== change.transition) this.log(here, { from: change.origin });
    });
  }

  /**
   * An outcome as its subject declares it (checked on arrival, see
   * RouterController), recorded inside its request's tid. One line each: the
   * transition it caused (cooldown, breaker) when ops log that one, else the
   * outcome itself at info — outcomes come only for failures and for
   * successes on channels with a health record, so this is what the router
   * logs per request (nothing for a success on a healthy channel).
   */
  async record(outcome: UpstreamOutcome): Promise<void> {
    const channel = this.registry.table.get(outcome.channelId);
    // Deleted since the request started: nothing to keep.
    if (!channel) return;
    const kind = classifyOutcome(outcome, providerFor(channel.type).deadKeyErrorCodes);
    const { change, autoDisableReason } = this.tracker.record(outcome, kind);
    const context = { channelName: channel.name, status: outcome.status, errorCode: outcome.errorCode, kind };
    if (change) this.bus.broadcast(RouterSubjects.healthChanged, change);
    if (!change || !this.log(change, context)) {
      this.logger.info(
        {
          event: 'channel.outcome',
          channelId: channel.id,
          ...context,
          latencyMs: outcome.latencyMs,
          consecutiveFailures: this.tracker.describe(channel).consecutiveFailures,
        },
        'upstream outcome recorded',
      );
    }
    if (autoDisableReason !== null && (await this.channels.markAutoDisabled(channel.id, autoDisableReason))) {
      // The event name is what ops alert on; the reason never contains the key.
      this.logger.warn(
        {
          event: 'channel.auto_disabled',
          channelId: channel.id,
          channelName: channel.name,
          status: outcome.status,
          errorCode: outcome.errorCode,
          reason: autoDisableReason,
        },
        'channel auto-disabled: its upstream key is rejected or out of credit',
      );
    }
  }

  /** A pick handed out a half-open channel: tell every replica the probe is taken. */
  notePicked(channelId: number): void {
    const change = this.tracker.notePicked(channelId);
    if (change) this.publish(change, {});
  }

  /**
   * An auto-disabled channel passed a real request: enable it, with fresh
   * health, everywhere. False when it was not auto_disabled (an admin's
   * `disabled` stays).
   */
  async reEnable(channelId: number, how: 'auto_enable' | 'channel_test'): Promise<boolean> {
    if (!(await this.channels.reEnableAutoDisabled(channelId))) return false;
    this.publish(this.tracker.reset(channelId), { via: how });
    return true;
  }

  view(channelId: number): Reply<ChannelHealthView> {
    const channel = this.registry.table.get(channelId);
    if (!channel) return refused(deny(DenialReason.ResourceNotFound, { detail: 'no such channel' }));
    return ok(this.tracker.describe(channel));
  }

  private publish(change: ChannelHealthChange, context: Record<string, unknown>): void {
    this.bus.broadcast(RouterSubjects.healthChanged, change);
    this.log(change, context);
  }

  /** Logs a transition ops want to see (LOGGED); false for one they do not. */
  private log(change: ChannelHealthChange, context: Record<string, unknown>): boolean {
    const level = LOGGED[change.transition];
    if (!level) return false;
    const { health } = change;
    this.logger[level](
      {
        event: `channel.${change.transition}`,
        channelId: health.channelId,
        consecutiveFailures: health.consecutiveFailures,
        cooldownUntil: health.cooldownUntil === null ? null : new Date(health.cooldownUntil).toISOString(),
        ...context,
      },
      `channel ${change.transition.replaceAll('_', ' ')}`,
    );
    return true;
  }
}
