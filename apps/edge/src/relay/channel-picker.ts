import { Inject, Injectable } from '@nestjs/common';
import {
  RouterSubjects,
  type PickedChannel,
  type PickRequest,
  type Principal,
  type UpstreamEndpoint,
} from '@tollgate/contracts';
import { DenialException } from '@tollgate/errors';
import type { NatsBus } from '@tollgate/nats';
import { EdgeRoutingTable } from '../routing/edge-routing-table.js';
import { NATS_BUS } from '../tokens.js';
import { OutcomeReporter } from './outcome-reporter.js';

export interface PickQuery {
  model: string;
  endpoint: UpstreamEndpoint;
  principal: Principal;
  /** Channels this request already tried. */
  exclude: number[];
  /** The channel storing the response this request continues: only it may serve (PickRequest.storedOn). */
  storedOn?: number;
}

/**
 * Which channel serves a request: picked from the routing table this edge
 * holds (EdgeRoutingTable), or asked of the router while it holds none.
 */
@Injectable()
export class ChannelPicker {
  constructor(
    @Inject(NATS_BUS) private readonly bus: NatsBus,
    private readonly routing: EdgeRoutingTable,
    private readonly outcomes: OutcomeReporter,
  ) {}

  /** A refusal (no channel, pinned channel disabled or unknown, all cooling down) is thrown as its denial. */
  async pick(query: PickQuery): Promise<PickedChannel> {
    const request: PickRequest = {
      model: query.model,
      endpoint: query.endpoint,
      group: query.principal.group,
      pinnedChannel: query.principal.pinnedChannel,
      excludeChannelIds: query.exclude,
      storedOn: query.storedOn,
    };
    const local = this.routing.pick(request);
    if (local?.probe != null) this.outcomes.probeTaken(local.probe);
    const reply = local?.reply ?? (await this.bus.request(RouterSubjects.pick, request));
    if (!reply.ok) throw DenialException.of(reply.denial);
    return reply.value;
  }

  /**
   * A channel for a retry, or null when the router has none left: the
   * attempts then end, and the client is told of the last upstream failure
   * rather than of the router's refusal.
   */
  async another(query: PickQuery): Promise<PickedChannel | null> {
    try {
      return await this.pick(query);
    } catch (error) {
      if (error instanceof DenialException) return null;
      throw error;
    }
  }
}
