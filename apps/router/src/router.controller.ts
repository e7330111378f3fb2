import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  RouterSubjects,
  type ChannelInput,
  type ModelsRequest,
  type PickRequest,
  type RequestOf,
  type TestChannelRequest,
  type UpstreamOutcome,
} from '@tollgate/contracts';
import { ChannelsService } from './channels/channels.service.js';
import { HealthService } from './health/health.service.js';
import { SelectionService } from './selection/selection.service.js';
import { ChannelTester } from './upstream/channel-tester.js';

/** The router service's NATS surface; every subject is declared in @tollgate/contracts. */
@Controller()
export class RouterController {
  constructor(
    private readonly selection: SelectionService,
    private readonly channels: ChannelsService,
    private readonly health: HealthService,
    private readonly tester: ChannelTester,
  ) {}

  @MessagePattern(RouterSubjects.pick.name)
  pick(@Payload() request: PickRequest) {
    return this.selection.pick(request);
  }

  @MessagePattern(RouterSubjects.models.name)
  models(@Payload() request: ModelsRequest) {
    return this.selection.models(request?.group);
  }

  /** An event in the queue group: one replica records each outcome and broadcasts what changed. */
  @EventPattern<Record<string, UpstreamOutcome>>(RouterSubjects.outcome.name)
  outcome(@Payload() outcome: UpstreamOutcome) {
    return this.health.record(outcome);
  }

  @MessagePattern(RouterSubjects.createChannel.name)
  createChannel(@Payload() input: ChannelInput) {
    return this.channels.create(input);
  }

  @MessagePattern(RouterSubjects.listChannels.name)
  listChannels() {
    return this.channels.list();
  }

  @MessagePattern(RouterSubjects.getChannel.name)
  getChannel(@Payload() request: RequestOf<typeof RouterSubjects.getChannel>) {
    return this.channels.get(request?.channelId);
  }

  @MessagePattern(RouterSubjects.updateChannel.name)
  updateChannel(@Payload() request: RequestOf<typeof RouterSubjects.updateChannel>) {
    return this.channels.update(request?.channelId, request?.patch);
  }

  @MessagePattern(RouterSubjects.deleteChannel.name)
  deleteChannel(@Payload() request: RequestOf<typeof RouterSubjects.deleteChannel>) {
    return this.channels.delete(request?.channelId);
  }

  @MessagePattern(RouterSubjects.testChannel.name)
  testChannel(@Payload() request: TestChannelRequest) {
    return this.tester.test(request);
  }

  @MessagePattern(RouterSubjects.channelHealth.name)
  channelHealth(@Payload() request: RequestOf<typeof RouterSubjects.channelHealth>) {
    return this.health.view(request?.channelId);
  }

  @MessagePattern(RouterSubjects.ping.name)
  ping() {
    return { service: 'router' };
  }
}
