import { describe, expect, it } from '@jest/globals';
import type { FastifyRequest } from 'fastify';
import { AuthSubjects, ok, refused, type Principal, type Reply } from '@tollgate/contracts';
import { DenialReason, deny } from '@tollgate/errors';
import type { EdgeConfig } from '../edge.config.js';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { principal } from '../testing/principal-fixture.js';
import { PrincipalService } from './principal.service.js';

const config = { TRUSTED_PROXIES: '', PRINCIPAL_CACHE_TTL_MS: 5000, AUTH_FAILURES_PER_MINUTE: 5 } as EdgeConfig;
const requestWith = (key: string, address = '203.0.113.7') =>
  ({ headers: { authorization: `Bearer ${key}` }, socket: { remoteAddress: address } }) as unknown as FastifyRequest;

/** Auth answering only when the test says so, to make lookups overlap. */
function slowAuth(answer: (authorization: string | null) => Reply<Principal>) {
  const nats = new FakeNatsBus();
  const waiting: Array<() => void> = [];
  nats.answer(
    AuthSubjects.authenticate,
    ({ authorization }) =>
      new Promise<Reply<Principal>>((resolve) => waiting.push(() => resolve(answer(authorization)))),
  );
  return { nats, answerAll: () => waiting.splice(0).forEach((release) => release()) };
}

describe(PrincipalService.name, () => {
  it('lets a burst of parallel requests with one valid key through: one auth request, one unit of the budget', async () => {
    const { nats, answerAll } = slowAuth(() => ok(principal()));
    const sut = new PrincipalService(nats.bus, config);

    const burst = Array.from({ length: 50 }, () => sut.authenticate(requestWith('sk-valid'), 'gpt-4o'));
    await Promise.resolve();
    answerAll();

    await expect(Promise.all(burst)).resolves.toHaveLength(50);
    expect(nats.requested(AuthSubjects.authenticate)).toHaveLength(1);
  });

  it('still counts each distinct invalid key, and refuses the address once its budget is spent', async () => {
    const { nats, answerAll } = slowAuth(() => refused(deny(DenialReason.InvalidAccessToken)));
    const sut = new PrincipalService(nats.bus, config);

    const guesses = Array.from({ length: 8 }, (_, i) =>
      sut.authenticate(requestWith(`sk-guess-${i}`), null).then(
        (): DenialReason | 'accepted' => 'accepted',
        (error: { denial: { reason: DenialReason } }) => error.denial.reason,
      ),
    );
    await Promise.resolve();
    answerAll();

    const reasons = await Promise.all(guesses);
    const count = (wanted: DenialReason) =>
      reasons.filter((reason) => (reason as string) === (wanted as string)).length;
    expect(count(DenialReason.InvalidAccessToken)).toBe(5);
    expect(count(DenialReason.AuthenticationThrottled)).toBe(3);
    expect(nats.requested(AuthSubjects.authenticate)).toHaveLength(5);
  });

  it('shares one refusal among overlapping lookups of the same invalid key, and counts it once', async () => {
    const { nats, answerAll } = slowAuth(() => refused(deny(DenialReason.InvalidAccessToken)));
    const sut = new PrincipalService(nats.bus, config);

    const same = Array.from({ length: 20 }, () =>
      sut
        .authenticate(requestWith('sk-same-guess'), null)
        .catch((error: { denial: { reason: DenialReason } }) => error.denial.reason),
    );
    await Promise.resolve();
    answerAll();

    expect(new Set(await Promise.all(same))).toEqual(new Set([DenialReason.InvalidAccessToken]));
    // Four more distinct guesses fit in the budget of five: the twenty were one.
    const more = Array.from({ length: 4 }, (_, i) =>
      sut
        .authenticate(requestWith(`sk-other-${i}`), null)
        .catch((error: { denial: { reason: DenialReason } }) => error.denial.reason),
    );
    await Promise.resolve();
    answerAll();
    expect(await Promise.all(more)).toEqual(Array(4).fill(DenialReason.InvalidAccessToken));
  });
});
