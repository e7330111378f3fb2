import { Inject, Injectable } from '@nestjs/common';
import { ok, refused, type ChannelTestResult, type Reply, type TestChannelRequest } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import type { Logger } from '@tollgate/observability';
import { ChannelRegistry } from '../channels/channel-registry.js';
import { HealthService } from '../health/health.service.js';
import { providerFor, type ChannelTarget, type UpstreamCall, type UpstreamHttp } from '@tollgate/providers';
import { ROUTER_CONFIG, type RouterConfig } from '../router.config.js';
import { LOGGER, UPSTREAM_HTTP } from '../tokens.js';
import { sendUpstream, type ProbeResult } from './upstream-client.js';
import { upstreamModelFor, type RoutableChannel } from '@tollgate/routing';

/** Real requests the router sends itself: the admin's channel test and the auto-enable probe. */
@Injectable()
export class ChannelTester {
  constructor(
    private readonly registry: ChannelRegistry,
    private readonly health: HealthService,
    @Inject(ROUTER_CONFIG) private readonly config: Pick<RouterConfig, 'CHANNEL_TEST_TIMEOUT_MS'>,
    @Inject(UPSTREAM_HTTP) private readonly http: UpstreamHttp,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * A non-streaming chat completion with max_tokens 1 to the requested (or
   * the first) model. Any channel can be tested whatever its status; an
   * auto-disabled one that passes is enabled again. An admin's `disabled`
   * stays: that was a decision, not a symptom.
   */
  async test(request: TestChannelRequest): Promise<Reply<ChannelTestResult>> {
    const channel = this.registry.table.get(request.channelId);
    if (!channel) return refused(deny(DenialReason.ResourceNotFound, { detail: 'no such channel' }));
    const model = request.model?.trim() ?? [...channel.models][0] ?? '';
    const provider = providerFor(channel.type);
    const result = await this.send(channel, (target) =>
      provider.testCompletion(target, upstreamModelFor(channel, model)),
    );
    const passed = result.status >= 200 && result.status < 300;
    this.logger.info(
      { event: 'channel.tested', channelId: channel.id, model, status: result.status, latencyMs: result.latencyMs },
      'channel tested',
    );
    if (passed && channel.status === 'auto_disabled') await this.health.reEnable(channel.id, 'channel_test');
    return ok({ ok: passed, status: result.status, latencyMs: result.latencyMs, error: result.error });
  }

  /** The auto-enable check: the provider's cheap authenticated request (its model list). */
  checkKey(channel: RoutableChannel): Promise<ProbeResult> {
    return this.send(channel, (target) => providerFor(channel.type).keyCheck(target));
  }

  private async send(channel: RoutableChannel, build: (target: ChannelTarget) => UpstreamCall): Promise<ProbeResult> {
    if (channel.apiKey === null) {
      return {
        status: 0,
        latencyMs: 0,
        error: 'the stored key does not decrypt with CHANNEL_SECRET_KEY',
        errorCode: null,
      };
    }
    const call = build({ baseUrl: channel.baseUrl, apiKey: channel.apiKey, apiVersion: channel.apiVersion });
    return sendUpstream({
      http: this.http,
      adapter: providerFor(channel.type),
      call,
      channel: { channelId: channel.id, timeouts: channel.timeouts },
      totalTimeoutMs: this.config.CHANNEL_TEST_TIMEOUT_MS,
      secret: channel.apiKey,
    });
  }
}
