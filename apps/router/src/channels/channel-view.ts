import type { ChannelTimeouts, ChannelView } from '@tollgate/contracts';
import type { ChannelEntity } from './channel.entity.js';
import { effectiveTimeouts } from './channel-timeouts.js';

/**
 * What the admin API shows of a channel. Built field by field, never by
 * spreading the entity, so that neither the key nor its ciphertext can slip
 * in when a column is added.
 */
export function toChannelView(channel: ChannelEntity, defaults: ChannelTimeouts): ChannelView {
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl,
    apiVersion: channel.apiVersion,
    apiKeyLast4: channel.apiKeyLast4,
    models: [...channel.models],
    modelMapping: { ...channel.modelMapping },
    groups: [...channel.groups],
    priority: channel.priority,
    weight: channel.weight,
    status: channel.status,
    statusReason: channel.statusReason,
    timeouts: effectiveTimeouts(channel, defaults),
    createdAt: channel.createdAt.toISOString(),
    updatedAt: channel.updatedAt.toISOString(),
  };
}

/**
 * The last 4 characters shown in listings. A key shorter than 8 characters
 * would be half revealed by them, so it shows none.
 */
export function apiKeyLast4(apiKey: string): string {
  return apiKey.length >= 8 ? apiKey.slice(-4) : '';
}
