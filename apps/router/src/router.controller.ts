import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  RouterSubjects,
  type ChannelInput,
  type ModelsRequest,
  type PickRequest,
  type RequestOf,
  type TestChannelRequest,
  type UpstreamOutcome,
} from '@tollgate/contracts';
import { HandleEvent, HandleRequest } from '@tollgate/nats/server';
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
  ) {}

  @HandleRequest(RouterSubjects.pick)
  pick(@Payload() request: PickRequest) {
    return this.selection.pick(request);
  }

  @HandleRequest(RouterSubjects.models)
  models(@Payload() request: ModelsRequest) {
    return this.selection.models(request.group);
  }

  /** An event in the queue group: one replica records each outcome and broadcasts what changed. */
  @HandleEvent(RouterSubjects.outcome)
  outcome(@Payload() outcome: UpstreamOutcome) {
    return this.health.record(outcome);
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
