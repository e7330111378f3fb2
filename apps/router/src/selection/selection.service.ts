import { Inject, Injectable } from '@nestjs/common';
import { ok, type PickedChannel, type PickRequest, type Reply } from '@tollgate/contracts';
import { ChannelRegistry } from '../channels/channel-registry.js';
import { HealthService } from '../health/health.service.js';
import { CLOCK, HEALTH_TRACKER, RANDOM } from '../tokens.js';
import { pickedChannelOf, type Clock, type HealthTracker, selectChannel, type RandomSource } from '@tollgate/routing';

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
    if (selection.value.probe) this.health.notePicked(selection.value.channel.id);
    return ok(pickedChannelOf(selection.value, request.model, this.tracker));
  }

  models(group: string): string[] {
    return this.registry.table.modelsFor(group);
  }
}
