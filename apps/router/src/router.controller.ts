import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  RouterSubjects,
  type ChannelInput,
  type ModelsRequest,
  type PickRequest,
  type RequestOf,
  type TestChannelRequest,
  type UpstreamOutcomeBatch,
} from '@tollgate/contracts';
import { HandleEvent, HandleRequest } from '@tollgate/nats/server';
import { ChannelRegistry } from './channels/channel-registry.js';
import { ChannelsService } from './channels/channels.service.js';
import { HealthService } from './health/health.service.js';
import { SelectionService } from './selection/selection.service.js';
import { ChannelTester } from './upstream/channel-tester.js';

/**
 * The router service's NATS surface; every subject is declared in
 * @tollgate/contracts, and every request and event is checked against its
 * schema before a handler here sees it (see HandleRequest).
 */
@Controller()
export class RouterController {
  constructor(
    private readonly selection: SelectionService,
    private readonly channels: ChannelsService,
    private readonly health: HealthService,
    private readonly tester: ChannelTester,
    private readonly registry: ChannelRegistry,
  ) {}

  @HandleRequest(RouterSubjects.pick)
  pick(@Payload() request: PickRequest) {
    return this.selection.pick(request);
  }

  @HandleRequest(RouterSubjects.models)
  models(@Payload() request: ModelsRequest) {
    return this.selection.models(request.group);
  }

  /**
   * An event in the queue group: one replica records an edge's batch — the
   * probes first, as they were handed out before their outcomes came — and
   * broadcasts what changed.
   */
  @HandleEvent(RouterSubjects.outcomes)
  async outcomes(@Payload() batch: UpstreamOutcomeBatch) {
    for (const channelId of batch.probes) this.health.notePicked(channelId);
    for (const outcome of batch.outcomes) await this.health.record(outcome);
  }

  /** The routing table edges pick from (they also get it broadcast after every reload). */
  @HandleRequest(RouterSubjects.routingTable)
  routingTable() {
    return this.registry.routingTable();
  }

  @HandleRequest(RouterSubjects.createChannel)
  createChannel(@Payload() input: ChannelInput) {
    return this.channels.create(input);
  }

  @HandleRequest(RouterSubjects.listChannels)
  listChannels() {
    return this.channels.list();
  }

  @HandleRequest(RouterSubjects.getChannel)
  getChannel(@Payload() request: RequestOf<typeof RouterSubjects.getChannel>) {
    return this.channels.get(request.channelId);
  }

  @HandleRequest(RouterSubjects.updateChannel)
  updateChannel(@Payload() request: RequestOf<typeof RouterSubjects.updateChannel>) {
    return this.channels.update(request.channelId, request.patch);
  }

  @HandleRequest(RouterSubjects.deleteChannel)
  deleteChannel(@Payload() request: RequestOf<typeof RouterSubjects.deleteChannel>) {
    return this.channels.delete(request.channelId);
  }

  @HandleRequest(RouterSubjects.testChannel)
  testChannel(@Payload() request: TestChannelRequest) {
    return this.tester.test(request);
  }

  @HandleRequest(RouterSubjects.channelHealth)
  channelHealth(@Payload() request: RequestOf<typeof RouterSubjects.channelHealth>) {
    return this.health.view(request.channelId);
  }

  @HandleRequest(RouterSubjects.ping)
  ping() {
    return { service: 'router' };
  }
}
