import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RouterSubjects, type UpstreamOutcome } from '@tollgate/contracts';
import { newTid, TraceContext } from '@tollgate/observability';
import { FakeNatsBus } from '../testing/fake-nats-bus.js';
import { pickedChannel } from '../testing/relay-fixtures.js';
import { OutcomeReporter } from './outcome-reporter.js';

function setup() {
  const nats = new FakeNatsBus();
  return { nats, sut: new OutcomeReporter(nats.bus) };
}

/** The event for gpt-4o on channel 3, with what the call did not give left null or false. */
const outcome = (fields: Partial<UpstreamOutcome>): UpstreamOutcome => ({
  channelId: 3,
  model: 'gpt-4o',
  status: 0,
  latencyMs: 1,
  retryAfterSeconds: null,
  errorCode: null,
  timedOut: false,
  ...fields,
});

describe(OutcomeReporter.name, () => {
  it("emits the router's outcome event for a connection failure: status 0, nothing else known", () => {
    const { nats, sut } = setup();

    sut.report({ channel: pickedChannel(3), model: 'gpt-4o', status: 0, latencyMs: 30 });

    expect(nats.events).toEqual([
      {
        subject: RouterSubjects.outcomes.name,
        payload: {
          outcomes: [
            {
              channelId: 3,
              model: 'gpt-4o',
              status: 0,
              latencyMs: 30,
              retryAfterSeconds: null,
              errorCode: null,
              timedOut: false,
            },
          ],
          probes: [],
        },
      },
    ]);
  });

  it("reports a refusal with the upstream's Retry-After and error code, and a timeout as timed out", () => {
    const { nats, sut } = setup();
    const channel = pickedChannel(3);

    sut.report({ channel, model: 'gpt-4o', status: 429, latencyMs: 12, retryAfterSeconds: 20, errorCode: 'rate' });
    sut.report({ channel, model: 'gpt-4o', status: 0, latencyMs: 5000, timedOut: true });

    expect(nats.reportedOutcomes()).toEqual([
      outcome({ status: 429, latencyMs: 12, retryAfterSeconds: 20, errorCode: 'rate' }),
      outcome({ status: 0, latencyMs: 5000, timedOut: true }),
    ]);
  });

  it('reports every failure, a 4xx passed to the client included, even on a channel without health history', () => {
    const { nats, sut } = setup();
    const channel = pickedChannel(3, { reportSuccess: false });

    for (const status of [0, 400, 404, 429, 500, 503]) sut.report({ channel, model: 'gpt-4o', status, latencyMs: 1 });

    expect(nats.reportedOutcomes()).toEqual([0, 400, 404, 429, 500, 503].map((status) => outcome({ status })));
  });

  it('reports a success only on a channel whose health the router tracks (reportSuccess)', () => {
    const { nats, sut } = setup();

    sut.report({ channel: pickedChannel(1, { reportSuccess: false }), model: 'gpt-4o', status: 200, latencyMs: 8 });
    sut.report({ channel: pickedChannel(2, { reportSuccess: false }), model: 'gpt-4o', status: 204, latencyMs: 8 });
    sut.report({ channel: pickedChannel(3, { reportSuccess: true }), model: 'gpt-4o', status: 200, latencyMs: 8 });

    expect(nats.reportedOutcomes()).toEqual([outcome({ status: 200, latencyMs: 8 })]);
  });

  describe('with a linger', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('sends the outcomes of one linger as one event', () => {
      const nats = new FakeNatsBus();
      const sut = new OutcomeReporter(nats.bus, null, 5);
      const channel = pickedChannel(3);

      sut.report({ channel, model: 'gpt-4o', status: 500, latencyMs: 1 });
      sut.report({ channel, model: 'gpt-4o', status: 502, latencyMs: 1 });
      expect(nats.events).toEqual([]);

      jest.advanceTimersByTime(5);
      expect(nats.emitted(RouterSubjects.outcomes)).toEqual([
        { outcomes: [outcome({ status: 500 }), outcome({ status: 502 })], probes: [] },
      ]);
    });

    it("names each outcome's request, and sends the batch under none of their tids", () => {
      const nats = new FakeNatsBus();
      const sut = new OutcomeReporter(nats.bus, null, 5);
      const tidsAtEmit: Array<string | undefined> = [];
      const emit = nats.emit.bind(nats);
      jest.spyOn(nats, 'emit').mockImplementation((target, payload) => {
        tidsAtEmit.push(TraceContext.tid());
        emit(target, payload);
      });
      const [first, second] = [newTid(), newTid()];

      TraceContext.run(first, () =>
        sut.report({ channel: pickedChannel(3), model: 'gpt-4o', status: 500, latencyMs: 1 }),
      );
      // A probe flushes at once, inside the request that took it: the batch must not go out under its tid.
      TraceContext.run(second, () => {
        sut.report({ channel: pickedChannel(3), model: 'gpt-4o', status: 502, latencyMs: 1 });
        sut.probeTaken(4);
      });

      expect(nats.reportedOutcomes()).toEqual([
        outcome({ status: 500, tid: first }),
        outcome({ status: 502, tid: second }),
      ]);
      expect(tidsAtEmit).toEqual([undefined]);
    });

    it('sends a probe at once, with the outcomes waiting', () => {
      const nats = new FakeNatsBus();
      const sut = new OutcomeReporter(nats.bus, null, 5);

      sut.report({ channel: pickedChannel(3), model: 'gpt-4o', status: 500, latencyMs: 1 });
      sut.probeTaken(4);

      expect(nats.emitted(RouterSubjects.outcomes)).toEqual([{ outcomes: [outcome({ status: 500 })], probes: [4] }]);
      jest.advanceTimersByTime(10);
      expect(nats.events).toHaveLength(1);
    });

    it('sends what waits when the NATS connection closes', async () => {
      const nats = new FakeNatsBus();
      const sut = new OutcomeReporter(nats.bus, null, 60_000);

      sut.report({ channel: pickedChannel(3), model: 'gpt-4o', status: 429, latencyMs: 1 });
      await nats.close();

      expect(nats.reportedOutcomes()).toEqual([outcome({ status: 429 })]);
    });
  });
});
