import { describe, expect, it } from '@jest/globals';
import type { PickRequest, Reply } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { ChannelTable } from './channel-table.js';
import type { RoutableChannel } from './routable-channel.js';
import type { Availability, HealthReader } from './availability.js';
import { pickRequest as request, routableChannel, seededRandom } from './testing.js';
import { selectChannel, type Selection } from './channel-selector.js';

const NOW = 1_750_000_000_000;

/** Health stub: every channel available unless listed. */
class StubHealth implements HealthReader {
  readonly states = new Map<number, Availability>();
  availability(channelId: number): Availability {
    return this.states.get(channelId) ?? { kind: 'available', probe: false };
  }
}

function chosenId(reply: Reply<Selection>): number {
  if (!reply.ok) throw new Error(`expected a channel, got ${reply.denial.reason}`);
  return reply.value.channel.id;
}

function denialOf(reply: Reply<Selection>) {
  if (reply.ok) throw new Error(`expected a denial, got channel ${reply.value.channel.id}`);
  return reply.denial;
}

describe(selectChannel.name, () => {
  const pick = (
    channels: RoutableChannel[],
    req: Partial<PickRequest> = {},
    health = new StubHealth(),
    random = seededRandom(1),
  ) => selectChannel(new ChannelTable(channels), health, request(req), NOW, random);

  describe('endpoint', () => {
    it('considers only channels whose type serves the endpoint, pinned ones included', () => {
      const channels = [routableChannel(1, { type: 'azure', priority: 10 }), routableChannel(2)];
      expect(chosenId(pick(channels, { endpoint: 'chat.completions' }))).toBe(1);
      // Azure has no moderations endpoint: the lower-priority openai channel serves it.
      expect(chosenId(pick(channels, { endpoint: 'moderations' }))).toBe(2);
      expect(denialOf(pick([channels[0]], { endpoint: 'moderations' })).reason).toBe(DenialReason.NoAvailableChannel);
      expect(denialOf(pick(channels, { endpoint: 'moderations', pinnedChannel: '1' })).reason).toBe(
        DenialReason.NoAvailableChannel,
      );
    });
  });

  describe('a stored response', () => {
    it('goes only to the channel that stores it, whatever the priorities, and to no other when it cannot serve', () => {
      const channels = [
        routableChannel(1, { priority: 10 }),
        routableChannel(2, { priority: 0 }),
        routableChannel(3, { priority: 0, models: new Set(['other-model']) }),
      ];
      expect(chosenId(pick(channels, { endpoint: 'responses', storedOn: 2 }))).toBe(2);
      // It no longer serves the model (or is gone): nothing else holds the conversation.
      expect(denialOf(pick(channels, { endpoint: 'responses', storedOn: 3 })).reason).toBe(
        DenialReason.NoAvailableChannel,
      );
      expect(denialOf(pick(channels, { endpoint: 'responses', storedOn: 9 })).reason).toBe(
        DenialReason.NoAvailableChannel,
      );
    });

    it('keeps the health rules: a storing channel cooling down is the documented rate limit', () => {
      const health = new StubHealth();
      health.states.set(2, { kind: 'cooling_down', until: NOW + 4_000 });
      const denial = denialOf(pick([routableChannel(1), routableChannel(2)], { storedOn: 2 }, health));
      expect(denial.reason).toBe(DenialReason.ProviderRateLimited);
    });
  });

  describe('priority', () => {
    it('always takes the highest priority that has an available channel', () => {
      const channels = [
        routableChannel(1, { priority: 0, weight: 100 }),
        routableChannel(2, { priority: 10 }),
        routableChannel(3, { priority: 5, weight: 100 }),
      ];
      const random = seededRandom(7);
      for (let i = 0; i < 200; i++) expect(chosenId(pick(channels, {}, new StubHealth(), random))).toBe(2);
    });

    it('falls to a lower priority only when every higher one is excluded or unavailable', () => {
      const channels = [routableChannel(1, { priority: 10 }), routableChannel(2, { priority: 10 }), routableChannel(3)];
      const health = new StubHealth();
      expect([1, 2]).toContain(chosenId(pick(channels, {}, health)));

      expect(chosenId(pick(channels, { excludeChannelIds: [1] }, health))).toBe(2);
      expect(chosenId(pick(channels, { excludeChannelIds: [1, 2] }, health))).toBe(3);

      health.states.set(1, { kind: 'cooling_down', until: NOW + 5000 });
      health.states.set(2, { kind: 'circuit_open', until: NOW + 5000 });
      expect(chosenId(pick(channels, {}, health))).toBe(3);
    });

    it('ignores disabled, auto-disabled, other-model and other-group channels', () => {
      const channels = [
        routableChannel(1, { priority: 9, status: 'disabled' }),
        routableChannel(2, { priority: 9, status: 'auto_disabled' }),
        routableChannel(3, { priority: 9, models: new Set(['gpt-4o-mini']) }),
        routableChannel(4, { priority: 9, groups: new Set(['vip']) }),
        routableChannel(5, { priority: 0 }),
      ];
      for (let i = 0; i < 50; i++) expect(chosenId(pick(channels))).toBe(5);
    });
  });

  describe('weights', () => {
    it('splits traffic within a priority by weight (20,000 draws, ±1.5 percentage points)', () => {
      // Expected shares 10% / 30% / 60%. With n = 20,000 the standard deviation of a share is
      // at most 0.35 points, so ±1.5 points is over 4σ: a failure means a wrong split, not bad luck.
      const channels = [
        routableChannel(1, { weight: 1 }),
        routableChannel(2, { weight: 3 }),
        routableChannel(3, { weight: 6 }),
        routableChannel(4, { priority: -1, weight: 1000 }),
      ];
      const random = seededRandom(42);
      const counts = new Map<number, number>();
      const draws = 20_000;
      for (let i = 0; i < draws; i++) {
        const id = chosenId(pick(channels, {}, new StubHealth(), random));
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      expect(Math.abs((counts.get(1) ?? 0) / draws - 0.1)).toBeLessThan(0.015);
      expect(Math.abs((counts.get(2) ?? 0) / draws - 0.3)).toBeLessThan(0.015);
      expect(Math.abs((counts.get(3) ?? 0) / draws - 0.6)).toBeLessThan(0.015);
      expect(counts.get(4)).toBeUndefined();
    });

    it('maps the random source onto cumulative weights', () => {
      const channels = [routableChannel(1, { weight: 1 }), routableChannel(2, { weight: 3 })];
      expect(chosenId(pick(channels, {}, new StubHealth(), () => 0))).toBe(1);
      expect(chosenId(pick(channels, {}, new StubHealth(), () => 0.24))).toBe(1);
      expect(chosenId(pick(channels, {}, new StubHealth(), () => 0.26))).toBe(2);
      expect(chosenId(pick(channels, {}, new StubHealth(), () => 0.999999))).toBe(2);
    });
  });

  describe('pinned channel', () => {
    const channels = [
      routableChannel(1),
      routableChannel(2, { status: 'disabled' }),
      routableChannel(3, { status: 'auto_disabled' }),
      routableChannel(4, { models: new Set(['other-model']), groups: new Set(['vip']) }),
    ];

    it.each(['0', '-1', 'abc', '1.5', '', ' 1', '01', '+1', '1e0', '99', '2147483648', '99999999999'])(
      'refuses %p as an invalid channel ID',
      (pinned) => {
        expect(denialOf(pick(channels, { pinnedChannel: pinned })).reason).toBe(DenialReason.InvalidChannelId);
      },
    );

    it.each([
      ['disabled', '2'],
      ['auto_disabled', '3'],
    ])('refuses a %s channel as disabled', (_status, pinned) => {
      expect(denialOf(pick(channels, { pinnedChannel: pinned })).reason).toBe(DenialReason.ChannelDisabled);
    });

    it('returns the pinned channel whatever its model, group, exclusions or health', () => {
      const health = new StubHealth();
      health.states.set(4, { kind: 'circuit_open', until: NOW + 1000 });
      const reply = pick(
        channels,
        { pinnedChannel: '4', model: 'gpt-4o', group: 'default', excludeChannelIds: [4] },
        health,
      );
      expect(reply).toEqual({ ok: true, value: { channel: channels[3], pinned: true, probe: false } });
    });
  });

  describe('when nothing can serve', () => {
    it('answers NoAvailableChannel when no channel serves the model to the group', () => {
      const channels = [
        routableChannel(1, { groups: new Set(['vip']) }),
        routableChannel(2, { models: new Set(['x']) }),
      ];
      expect(denialOf(pick(channels)).reason).toBe(DenialReason.NoAvailableChannel);
      expect(denialOf(pick([])).reason).toBe(DenialReason.NoAvailableChannel);
    });

    it('answers NoAvailableChannel when every candidate was already tried', () => {
      const health = new StubHealth();
      health.states.set(2, { kind: 'cooling_down', until: NOW + 3000 });
      const denial = denialOf(pick([routableChannel(1), routableChannel(2)], { excludeChannelIds: [1, 2] }, health));
      expect(denial.reason).toBe(DenialReason.NoAvailableChannel);
      expect(denial.params?.retryAfterSeconds).toBeUndefined();
    });

    it('answers ProviderRateLimited with the seconds until the earliest cooldown ends', () => {
      const health = new StubHealth();
      health.states.set(1, { kind: 'cooling_down', until: NOW + 9_000 });
      health.states.set(2, { kind: 'cooling_down', until: NOW + 2_100 });
      health.states.set(3, { kind: 'circuit_open', until: NOW + 1_000 });
      const channels = [
        routableChannel(1),
        routableChannel(2, { priority: -5 }),
        routableChannel(3),
        routableChannel(4),
      ];
      const denial = denialOf(pick(channels, { excludeChannelIds: [4] }, health));
      expect(denial.reason).toBe(DenialReason.ProviderRateLimited);
      expect(denial.params?.retryAfterSeconds).toBe(3);
    });

    it('answers NoAvailableChannel with a Retry-After when every untried channel has an open circuit', () => {
      const health = new StubHealth();
      health.states.set(1, { kind: 'circuit_open', until: NOW + 30_000 });
      health.states.set(2, { kind: 'circuit_open', until: NOW + 12_500 });
      const denial = denialOf(pick([routableChannel(1), routableChannel(2)], {}, health));
      expect(denial.reason).toBe(DenialReason.NoAvailableChannel);
      expect(denial.params?.retryAfterSeconds).toBe(13);
    });

    it('never routes a channel whose key did not decrypt', () => {
      const reply = pick([routableChannel(1, { apiKey: null, priority: 5 }), routableChannel(2)]);
      expect(chosenId(reply)).toBe(2);
      expect(denialOf(pick([routableChannel(1, { apiKey: null })])).reason).toBe(DenialReason.NoAvailableChannel);
    });
  });

  it('marks a half-open channel pick as the probe', () => {
    const health = new StubHealth();
    health.states.set(1, { kind: 'available', probe: true });
    const reply = pick([routableChannel(1)], {}, health);
    expect(reply.ok && reply.value.probe).toBe(true);
  });
});
