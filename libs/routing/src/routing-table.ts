import type { RoutingChannel, RoutingTable } from '@tollgate/contracts';
import { ChannelTable } from './channel-table.js';
import type { HealthTracker } from './health-tracker.js';
import type { RoutableChannel } from './routable-channel.js';

/** The router's table and health as it publishes them to the edges. */
export function routingTableOf(table: ChannelTable, revision: number, health: HealthTracker): RoutingTable {
  return {
    revision,
    channels: table.channels.map(toRoutingChannel),
    health: health.allSnapshots(),
    settings: { ...health.settings },
  };
}

/** A published table as the selector reads it. */
export function channelTableOf(routing: RoutingTable): ChannelTable {
  return new ChannelTable(routing.channels.map(toRoutableChannel));
}

function toRoutingChannel(channel: RoutableChannel): RoutingChannel {
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl,
    apiVersion: channel.apiVersion,
    apiKey: channel.apiKey,
    models: [...channel.models],
    modelMapping: { ...channel.modelMapping },
    groups: [...channel.groups],
    priority: channel.priority,
    weight: channel.weight,
    status: channel.status,
    statusReason: channel.statusReason,
    timeouts: { ...channel.timeouts },
  };
}

function toRoutableChannel(channel: RoutingChannel): RoutableChannel {
  return { ...channel, models: new Set(channel.models), groups: new Set(channel.groups) };
}
