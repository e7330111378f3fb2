import { Inject, Injectable } from '@nestjs/common';
import { ok, type PickedChannel, type PickRequest, type Reply } from '@tollgate/contracts';
import { ChannelRegistry } from '../channels/channel-registry.js';
import { upstreamModelFor } from '../channels/routable-channel.js';
import type { Clock } from '../clock.js';
import { HealthService } from '../health/health.service.js';
import type { HealthTracker } from '../health/health-tracker.js';
import { CLOCK, HEALTH_TRACKER, RANDOM } from '../tokens.js';
import { selectChannel } from './channel-selector.js';
import type { RandomSource } from './random-source.js';

/** `pick` and `models`, answered from the in-memory table: no database query on the request path. */
@Injectable()
export class SelectionService {
  constructor(
    private readonly registry: ChannelRegistry,
    private readonly health: HealthService,
    @Inject(HEALTH_TRACKER) private readonly tracker: HealthTracker,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RANDOM) private readonly random: RandomSource,
  ) {}

  pick(request: PickRequest): Reply<PickedChannel> {
    const selection = selectChannel(this.registry.table, this.tracker, request, this.clock(), this.random);
    if (!selection.ok) return selection;
    const { channel, pinned, probe } = selection.value;
    if (probe) this.health.notePicked(channel.id);
    return ok({
      channelId: channel.id,
      name: channel.name,
      type: channel.type,
      baseUrl: channel.baseUrl,
      apiVersion: channel.apiVersion,
      apiKey: channel.apiKey,
      upstreamModel: upstreamModelFor(channel, request.model),
      pinned,
      timeouts: { ...channel.timeouts },
      reportSuccess: this.tracker.hasHistory(channel.id),
    });
  }

  models(group: string): string[] {
    return this.registry.table.modelsFor(group);
  }
}
