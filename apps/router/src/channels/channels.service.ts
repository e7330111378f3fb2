import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import {
  ok,
  refused,
  RouterSubjects,
  type ChannelInput,
  type ChannelTimeouts,
  type ChannelType,
  type ChannelView,
  type Reply,
} from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import type { BroadcastBus } from '../broadcast-bus.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { CHANNEL_TIMEOUT_DEFAULTS, HEALTH_TRACKER, NATS_BUS, SECRET_BOX } from '../tokens.js';
import { ChannelEntity } from './channel.entity.js';
import { normaliseChannelInput, type ChannelFields } from './channel-input.js';
import { ChannelRegistry } from './channel-registry.js';
import { apiKeyLast4, toChannelView } from './channel-view.js';
import { type HealthTracker } from '@tollgate/routing';

const notFound = () => refused<never>(deny(DenialReason.ResourceNotFound, { detail: 'no such channel' }));

/** api_version is Azure's alone: set on another type it would be silently ignored, so it is refused. */
function misplacedApiVersion(type: ChannelType, apiVersion: string | null | undefined): Reply<never> | null {
  if (apiVersion === undefined || apiVersion === null || type === 'azure') return null;
  return refused(
    deny(DenialReason.InvalidRequest, {
      param: 'api_version',
      detail: `api_version applies only to azure channels, not to ${type}`,
    }),
  );
}

/**
 * Channels in the database: the admin operations and the two status changes
 * health makes. After every write this replica reloads its own table before
 * answering (so a pick right after a create sees the channel) and broadcasts
 * `channelsChanged` for the others.
 */
@Injectable()
export class ChannelsService {
  private readonly channels: Repository<ChannelEntity>;

  constructor(
    private readonly db: DataSource,
    private readonly registry: ChannelRegistry,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CHANNEL_TIMEOUT_DEFAULTS) private readonly defaults: ChannelTimeouts,
    @Inject(HEALTH_TRACKER) private readonly health: HealthTracker,
    @Inject(NATS_BUS) private readonly bus: BroadcastBus,
  ) {
    this.channels = db.getRepository(ChannelEntity);
  }

  async create(input: ChannelInput): Promise<Reply<ChannelView>> {
    const f = normaliseChannelInput(input);
    const misplaced = misplacedApiVersion(f.type ?? 'openai', f.apiVersion);
    if (misplaced) return misplaced;
    const saved = await this.channels.save(
      this.channels.create({
        name: f.name,
        type: f.type ?? 'openai',
        baseUrl: f.baseUrl,
        apiVersion: f.apiVersion ?? null,
        apiKeyCiphertext: this.box.seal(f.apiKey),
        apiKeyLast4: apiKeyLast4(f.apiKey),
        models: f.models,
        modelMapping: f.modelMapping ?? {},
        groups: f.groups ?? ['default'],
        priority: f.priority ?? 0,
        weight: f.weight ?? 1,
        status: f.status ?? 'enabled',
        statusReason: null,
        connectTimeoutMs: f.timeouts?.connectMs ?? null,
        firstByteTimeoutMs: f.timeouts?.firstByteMs ?? null,
        idleTimeoutMs: f.timeouts?.idleMs ?? null,
      }),
    );
    await this.changed([saved.id]);
    return ok(toChannelView(saved, this.defaults));
  }

  async list(): Promise<ChannelView[]> {
    const channels = await this.channels.find({ order: { id: 'ASC' } });
    return channels.map((channel) => toChannelView(channel, this.defaults));
  }

  async get(channelId: number): Promise<Reply<ChannelView>> {
    const channel = await this.find(channelId);
    return channel ? ok(toChannelView(channel, this.defaults)) : notFound();
  }

  async update(channelId: number, patch: Partial<ChannelInput>): Promise<Reply<ChannelView>> {
    const existing = await this.find(channelId);
    if (!existing) return notFound();
    const f = normaliseChannelInput(patch);
    const type = f.type ?? existing.type;
    const misplaced = misplacedApiVersion(type, f.apiVersion);
    if (misplaced) return misplaced;
    const changes = this.columnsFor(f);
    // A channel that stops being azure loses its api-version, which no other type reads.
    if (type !== 'azure') changes.apiVersion = null;
    if (Object.keys(changes).length > 0) {
      await this.channels.update({ id: channelId }, changes);
    }
    const saved = await this.find(channelId);
    if (!saved) return notFound();
    // A new key, a new address or an admin's explicit enable starts the channel's health afresh.
    if (f.apiKey !== undefined || f.baseUrl !== undefined || f.status === 'enabled') {
      this.bus.broadcast(RouterSubjects.healthChanged, this.health.reset(channelId));
    }
    await this.changed([channelId]);
    return ok(toChannelView(saved, this.defaults));
  }

  async delete(channelId: number): Promise<Reply<{ deleted: true }>> {
    const result = await this.channels.delete({ id: channelId });
    if (!result.affected) return notFound();
    await this.changed([channelId]);
    return ok({ deleted: true });
  }

  /**
   * The router's own verdict on a dead key. Conditional, so that of many
   * replicas seeing the same 401 at once exactly one records it (and logs it);
   * and an admin's `disabled` is never overwritten.
   */
  async markAutoDisabled(channelId: number, reason: string): Promise<boolean> {
    const [rows] = await this.db.query<[Array<{ id: number }>, number]>(
      `UPDATE channels SET status = 'auto_disabled', status_reason = $2, updated_at = now()
        WHERE id = $1 AND status = 'enabled' RETURNING id`,
      [channelId, reason],
    );
    if (rows.length === 0) return false;
    await this.changed([channelId]);
    return true;
  }

  /** Back to enabled after a passing test; only from auto_disabled, never over an admin's `disabled`. */
  async reEnableAutoDisabled(channelId: number): Promise<boolean> {
    const [rows] = await this.db.query<[Array<{ id: number }>, number]>(
      `UPDATE channels SET status = 'enabled', status_reason = NULL, updated_at = now()
        WHERE id = $1 AND status = 'auto_disabled' RETURNING id`,
      [channelId],
    );
    if (rows.length === 0) return false;
    await this.changed([channelId]);
    return true;
  }

  async autoDisabledIds(): Promise<number[]> {
    const rows = await this.channels.find({
      select: { id: true },
      where: { status: 'auto_disabled' },
      order: { id: 'ASC' },
    });
    return rows.map((row) => row.id);
  }

  private find(channelId: number): Promise<ChannelEntity | null> {
    return this.channels.findOneBy({ id: channelId });
  }

  private columnsFor(f: ChannelFields): Partial<ChannelEntity> {
    const columns: Partial<ChannelEntity> = {};
    if (f.name !== undefined) columns.name = f.name;
    if (f.type !== undefined) columns.type = f.type;
    if (f.baseUrl !== undefined) columns.baseUrl = f.baseUrl;
    if (f.apiVersion !== undefined) columns.apiVersion = f.apiVersion;
    if (f.apiKey !== undefined) {
      columns.apiKeyCiphertext = this.box.seal(f.apiKey);
      columns.apiKeyLast4 = apiKeyLast4(f.apiKey);
    }
    if (f.models !== undefined) columns.models = f.models;
    if (f.modelMapping !== undefined) columns.modelMapping = f.modelMapping;
    if (f.groups !== undefined) columns.groups = f.groups;
    if (f.priority !== undefined) columns.priority = f.priority;
    if (f.weight !== undefined) columns.weight = f.weight;
    if (f.status !== undefined) {
      columns.status = f.status;
      columns.statusReason = null;
    }
    if (f.timeouts?.connectMs !== undefined) columns.connectTimeoutMs = f.timeouts.connectMs;
    if (f.timeouts?.firstByteMs !== undefined) columns.firstByteTimeoutMs = f.timeouts.firstByteMs;
    if (f.timeouts?.idleMs !== undefined) columns.idleTimeoutMs = f.timeouts.idleMs;
    return columns;
  }

  private async changed(channelIds: number[]): Promise<void> {
    await this.registry.reload();
    this.bus.broadcast(RouterSubjects.channelsChanged, { channelIds });
  }
}
