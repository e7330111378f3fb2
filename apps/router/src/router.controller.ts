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
import { inSpan, runInTraceparent, SpanKind, TraceContext } from '@tollgate/observability';
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
   * broadcasts what changed. Each outcome is recorded inside the tid of the
   * request that made the call (HealthService.record logs it at info, with
   * any cooldown or breaker it causes), so the batch's own line, which names
   * no request, is at debug.
   */
  @HandleEvent(RouterSubjects.outcomes, { logLevel: 'debug' })
  async outcomes(@Payload() batch: UpstreamOutcomeBatch) {
    for (const channelId of batch.probes) this.health.notePicked(channelId);
    for (const outcome of batch.outcomes) {
      // With tracing on, a span under the request that made the call.
      const record = () =>
        runInTraceparent(outcome.traceparent, () =>
          inSpan('record upstream outcome', SpanKind.CONSUMER, { 'tollgate.channel_id': outcome.channelId }, () =>
            this.health.record(outcome),
          ),
        );
      // An older edge sends no tid, and may send the batch under some request's: then none.
      await (outcome.tid ? TraceContext.run(outcome.tid, record) : TraceContext.outside(record));
    }
  }

  /**
   * The routing table edges pick from (they also get it broadcast after every reload). Its line is at
   * debug: every edge asks every ROUTING_TABLE_REFRESH_MS, and what changes the table (a channel
   * created, updated or auto-disabled) has its own line at info.
   */
  @HandleRequest(RouterSubjects.routingTable, { logLevel: 'debug' })
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

  /** Asked by the edge's /healthz on every probe (a load balancer's, every few seconds): its line is at debug. */
  @HandleRequest(RouterSubjects.ping, { logLevel: 'debug' })
  ping() {
    return { service: 'router' };
  }
}
