import { describe, expect, it } from '@jest/globals';
import { ok, refused, RouterSubjects } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import { ServiceUnavailableError } from '@tollgate/nats';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { principal } from '../testing/principal-fixture.js';
import { pickedChannel, routerAskingPicker } from '../testing/relay-fixtures.js';
import { ChannelPicker } from './channel-picker.js';

const pinnedCaller = principal({ group: 'vip', pinnedChannel: '9' });

describe(ChannelPicker.name, () => {
  it("asks the router for the model in the caller's group, with its pinned channel and the channels tried", async () => {
    const nats = new FakeNatsBus().answer(RouterSubjects.pick, () => ok(pickedChannel(9)));
    const sut = routerAskingPicker(nats.bus);

    await expect(
      sut.pick({ model: 'gpt-4o', endpoint: 'chat.completions', principal: pinnedCaller, exclude: [4, 5] }),
    ).resolves.toEqual(pickedChannel(9));
    expect(nats.requested(RouterSubjects.pick)).toEqual([
      { model: 'gpt-4o', endpoint: 'chat.completions', group: 'vip', pinnedChannel: '9', excludeChannelIds: [4, 5] },
    ]);
  });

  it("throws the router's refusal as its denial", async () => {
    const nats = new FakeNatsBus().answer(RouterSubjects.pick, () => refused({ reason: DenialReason.ChannelDisabled }));
    const sut = routerAskingPicker(nats.bus);

    await expect(
      sut.pick({ model: 'gpt-4o', endpoint: 'chat.completions', principal: pinnedCaller, exclude: [] }),
    ).rejects.toEqual(
      expect.objectContaining({ name: DenialException.name, denial: { reason: DenialReason.ChannelDisabled } }),
    );
  });

  it('gives another channel for a retry, or null when the router has none left', async () => {
    const answers = [ok(pickedChannel(2)), refused({ reason: DenialReason.NoAvailableChannel })];
    const nats = new FakeNatsBus().answer(RouterSubjects.pick, () => answers.shift()!);
    const sut = routerAskingPicker(nats.bus);

    await expect(
      sut.another({ model: 'gpt-4o', endpoint: 'chat.completions', principal: principal(), exclude: [1] }),
    ).resolves.toEqual(pickedChannel(2));
    await expect(
      sut.another({ model: 'gpt-4o', endpoint: 'chat.completions', principal: principal(), exclude: [1, 2] }),
    ).resolves.toBeNull();
  });

  it('lets a router that does not answer fail the retry: that is no refusal', async () => {
    const unavailable = new ServiceUnavailableError(RouterSubjects.pick.name, new Error('timed out'));
    const nats = new FakeNatsBus().answer(RouterSubjects.pick, () => Promise.reject(unavailable));
    const sut = routerAskingPicker(nats.bus);

    await expect(
      sut.another({ model: 'gpt-4o', endpoint: 'chat.completions', principal: principal(), exclude: [1] }),
    ).rejects.toBe(unavailable);
  });
});
