import { ok, refused, type PickRequest, type Reply, type UpstreamEndpoint } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import { servesEndpoint } from '@tollgate/providers';
import type { ChannelTable } from './channel-table.js';
import type { RoutableChannel } from './routable-channel.js';
import type { HealthReader } from './availability.js';
import { parsePinnedChannelId } from './pinned-channel-id.js';
import type { RandomSource } from './random-source.js';
import { weightedChoice } from './weighted-choice.js';

export interface Selection {
  channel: RoutableChannel & { apiKey: string };
  pinned: boolean;
  /** The channel's circuit is half-open and this request is its one probe. */
  probe: boolean;
}

type Routable = RoutableChannel & { apiKey: string };
const hasKey = (channel: RoutableChannel): channel is Routable => channel.apiKey !== null;

/**
 * Chooses the channel for one upstream attempt, from memory only.
 *
 * Pinned (admin keys `sk-…-<id>`): that channel whatever its models, groups,
 * health or the exclusions — an admin pins to test exactly that channel, and
 * the edge never retries a pinned request. Only its existence and status count.
 *
 * Otherwise, among enabled channels serving the model to the caller's group
 * whose type serves the endpoint (libs/providers) — only the one that
 * stores what the request continues, when it names one (`storedOn`):
 * drop those already tried, then those cooling down or with an open circuit;
 * take the highest priority left and split by weight within it. When none is
 * left, the client sees:
 * - NoAvailableChannel when no channel serves the model to the group at all;
 * - NoAvailableChannel when every one was already tried by this request: the
 *   edge reports the last upstream error itself, which says more than we can;
 * - ProviderRateLimited (Retry-After = the earliest cooldown's end) when at
 *   least one untried channel is only cooling down after a provider 429: it
 *   will be back by then, so that is the honest advice;
 * - NoAvailableChannel (Retry-After = the earliest half-open) when all untried
 *   ones have open circuits: the documented "no available channel" row is the
 *   contract clients know for this, and Retry-After tells them when to retry.
 */
export function selectChannel(
  table: ChannelTable,
  health: HealthReader,
  request: PickRequest,
  now: number,
  random: RandomSource,
): Reply<Selection> {
  if (request.pinnedChannel !== null && request.pinnedChannel !== undefined) {
    return selectPinned(table, request.pinnedChannel, request.endpoint);
  }

  const storedOn = request.storedOn;
  const serving = table
    .serving(request.model, request.group)
    .filter(
      (channel): channel is Routable =>
        hasKey(channel) &&
        servesEndpoint(channel.type, request.endpoint) &&
        (storedOn === undefined || channel.id === storedOn),
    );
  if (serving.length === 0) return refused(deny(DenialReason.NoAvailableChannel, { model: request.model }));

  const excluded = new Set(request.excludeChannelIds ?? []);
  const untried = serving.filter((channel) => !excluded.has(channel.id));
  if (untried.length === 0) return refused(deny(DenialReason.NoAvailableChannel, { model: request.model }));

  // `serving` is sorted by priority, highest first: the first available channel fixes the tier.
  const tier: Array<{ channel: Routable; probe: boolean }> = [];
  let earliestCooldownEnd = Infinity;
  let earliestCircuitRetry = Infinity;
  for (const channel of untried) {
    const first = tier[0];
    if (first && channel.priority < first.channel.priority) break;
    const availability = health.availability(channel.id, now);
    if (availability.kind === 'available') {
      tier.push({ channel, probe: availability.probe });
    } else if (availability.kind === 'cooling_down') {
      earliestCooldownEnd = Math.min(earliestCooldownEnd, availability.until);
    } else {
      earliestCircuitRetry = Math.min(earliestCircuitRetry, availability.until);
    }
  }

  if (tier.length === 0) {
    if (earliestCooldownEnd !== Infinity) {
      return refused(
        deny(DenialReason.ProviderRateLimited, {
          model: request.model,
          retryAfterSeconds: secondsUntil(earliestCooldownEnd, now),
        }),
      );
    }
    return refused(
      deny(DenialReason.NoAvailableChannel, {
        model: request.model,
        retryAfterSeconds: secondsUntil(earliestCircuitRetry, now),
      }),
    );
  }
  // A half-open probe competes like any other channel of its tier, with its own weight.
  const chosen = weightedChoice(tier, (entry) => entry.channel.weight, random);
  return ok({ channel: chosen.channel, pinned: false, probe: chosen.probe });
}

function selectPinned(table: ChannelTable, raw: string, endpoint: UpstreamEndpoint): Reply<Selection> {
  const id = parsePinnedChannelId(raw);
  const channel = id === null ? undefined : table.get(id);
  if (!channel) return refused(deny(DenialReason.InvalidChannelId));
  if (channel.status !== 'enabled') return refused(deny(DenialReason.ChannelDisabled));
  // The stored key would not decrypt (see ChannelRegistry): the channel cannot serve anything.
  if (!hasKey(channel)) return refused(deny(DenialReason.NoAvailableChannel));
  // A type that cannot serve the endpoint (an anthropic channel asked for embeddings) is no channel for it.
  if (!servesEndpoint(channel.type, endpoint)) return refused(deny(DenialReason.NoAvailableChannel));
  return ok({ channel, pinned: true, probe: false });
}

const secondsUntil = (at: number, now: number): number => Math.max(1, Math.ceil((at - now) / 1000));
