import type { RoutableChannel } from './routable-channel.js';

/**
 * An immutable snapshot of every channel, indexed for picks. A reload builds
 * a new table and swaps it in whole, so a pick never sees half a reload.
 */
export class ChannelTable {
  private readonly byId: ReadonlyMap<number, RoutableChannel>;
  /** Enabled channels by model they serve, highest priority first. */
  private readonly enabledByModel: ReadonlyMap<string, readonly RoutableChannel[]>;

  constructor(readonly channels: readonly RoutableChannel[]) {
    this.byId = new Map(channels.map((channel) => [channel.id, channel]));
    const byModel = new Map<string, RoutableChannel[]>();
    for (const channel of channels) {
      if (channel.status !== 'enabled') continue;
      for (const model of channel.models) {
        const list = byModel.get(model) ?? [];
        list.push(channel);
        byModel.set(model, list);
      }
    }
    for (const list of byModel.values()) list.sort((a, b) => b.priority - a.priority || a.id - b.id);
    this.enabledByModel = byModel;
  }

  static readonly empty = new ChannelTable([]);

  get(channelId: number): RoutableChannel | undefined {
    return this.byId.get(channelId);
  }

  /** Enabled channels serving `model` to `group`, highest priority first (health not considered). */
  serving(model: string, group: string): RoutableChannel[] {
    return (this.enabledByModel.get(model) ?? []).filter((channel) => channel.groups.has(group));
  }

  /** Sorted distinct models that enabled channels serve to `group` (GET /v1/models). */
  modelsFor(group: string): string[] {
    const models: string[] = [];
    for (const [model, channels] of this.enabledByModel) {
      if (channels.some((channel) => channel.groups.has(group))) models.push(model);
    }
    return models.sort();
  }
}
