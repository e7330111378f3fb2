import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Type } from '@tollgate/typebox';
import { Empty, eventSubject, Nullable, subject } from '@tollgate/contracts';
import { createLogger, TraceContext } from '@tollgate/observability';
import { eventually, privateNatsServer, testNats, type TestNats } from '@tollgate/testing';
import { NatsBus, TID_HEADER } from './nats-bus.js';
import { RemoteFailureError, ServiceUnavailableError } from './nats-errors.js';

/** Against a real NATS server; subjects are unique to this run. */
describe(NatsBus.name, () => {
  const run = randomBytes(6).toString('hex');
  const echo = subject(
    `spec.bus.${run}.echo`,
    Type.Object({ n: Type.Number(), delayMs: Type.Optional(Type.Number()) }),
    Type.Object({ n: Type.Number(), tid: Nullable(Type.String()) }),
  );
  const failing = subject(`spec.bus.${run}.failing`, Empty, Type.Never());
  const silent = subject(`spec.bus.${run}.silent`, Empty, Type.Never());
  const nobody = subject(`spec.bus.${run}.nobody`, Empty, Type.Never());
  let nats: TestNats;
  let bus: NatsBus;
  let responder: NatsConnection;
  /** The echo requests the responder has answered, by `n`. */
  const answered: number[] = [];

  beforeAll(async () => {
    nats = await testNats();
    bus = await NatsBus.connect({
      servers: nats.url,
      name: `bus-spec-${run}`,
      requestTimeoutMs: 2000,
      logger: createLogger('bus-spec', 'silent'),
    });
    responder = await connect({ servers: nats.url });
    // Answers as Nest's NATS server does: { id, response } or { id, err }, to the request's reply subject.
    responder.subscribe(echo.name, {
      callback: (_error, msg) => {
        const packet = msg.json<{ id: string; data: { n: number; delayMs?: number } }>();
        const answer = () => {
          answered.push(packet.data.n);
          msg.respond(
            JSON.stringify({
              id: packet.id,
              response: { n: packet.data.n, tid: msg.headers?.get(TID_HEADER) || null },
              isDisposed: true,
            }),
          );
        };
        // A slow service: the answer leaves after its latency.
        if (packet.data.delayMs) setTimeout(answer, packet.data.delayMs);
        else answer();
      },
    });
    responder.subscribe(failing.name, {
      callback: (_error, msg) => {
        msg.respond(JSON.stringify({ err: { message: 'database down' }, isDisposed: true }));
      },
    });
    responder.subscribe(silent.name, { callback: () => undefined });
    await responder.flush();
  });

  afterAll(async () => {
    await responder?.close();
    await bus?.close();
    await nats?.stop();
  });

  it('matches each reply to its request, whatever order the replies come in', async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, n) => bus.request(echo, { n, delayMs: (50 - n) % 7 })),
    );

    expect(replies.map((reply) => reply.n)).toEqual(Array.from({ length: 50 }, (_, n) => n));
  });

  it('sends the current tid as a header', async () => {
    const tid = '4bf92f3577b34da6a3ce929d0e0e4736';

    const reply = await TraceContext.run(tid, () => bus.request(echo, { n: 1 }));

    expect(reply.tid).toBe(tid);
  });

  it('turns a remote exception into a RemoteFailureError naming the subject', async () => {
    await expect(bus.request(failing, {})).rejects.toThrow(
      new RemoteFailureError(failing.name, 'database down').message,
    );
  });

  it('fails at once when nothing subscribes to the subject', async () => {
    const started = Date.now();

    const error = await bus.request(nobody, {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toContain('no responders');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails after the timeout when the service does not answer, and ignores a reply that comes too late', async () => {
    const error = await bus.request(silent, {}, 200).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toContain('timed out after 200 ms');

    const late = await bus.request(echo, { n: 7, delayMs: 300 }, 100).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ServiceUnavailableError);
    await eventually(() => expect(answered).toContain(7));
    // The round trip after the late reply was sent: the bus has read that reply by now.
    await bus.connection.flush();
    // The late reply changed nothing; the bus still answers.
    expect((await bus.request(echo, { n: 8 })).n).toBe(8);
  });

  it('runs the closing hooks before it closes, so what they send still goes out', async () => {
    const other = await NatsBus.connect({
      servers: nats.url,
      name: `bus-spec-hooks-${run}`,
      requestTimeoutMs: 2000,
      logger: createLogger('bus-spec', 'silent'),
    });
    const last = eventSubject(`spec.bus.${run}.last`, Type.String());
    const received: string[] = [];
    responder.subscribe(last.name, {
      callback: (_error, msg) => {
        received.push(msg.string());
      },
    });
    await responder.flush();
    let finishHook!: () => void;
    const hookMayFinish = new Promise<void>((resolve) => (finishHook = resolve));
    other.onClosing(async () => {
      await hookMayFinish;
      other.broadcast(last, 'held back until now');
    });

    const closing = other.close();
    // Still open while its hook has work left.
    await other.connection.flush();
    expect(other.connection.isClosed()).toBe(false);
    finishHook();
    await closing;
    await responder.flush();

    expect(received).toEqual(['"held back until now"']);
    expect(other.connection.isClosed()).toBe(true);
  });

  it('fails the requests still waiting when the connection closes', async () => {
    const other = await NatsBus.connect({
      servers: nats.url,
      name: `bus-spec-closing-${run}`,
      requestTimeoutMs: 10_000,
      logger: createLogger('bus-spec', 'silent'),
    });
    const waiting = other.request(silent, {}).catch((e: unknown) => e);

    await other.connection.close();

    expect(await waiting).toBeInstanceOf(ServiceUnavailableError);
    // And a request made after the close fails at once instead of waiting for its timeout.
    await expect(other.request(echo, { n: 1 })).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('runs the reconnect hooks when the connection is back after the server restarted, and keeps the subscriptions', async () => {
    // A server of its own: restarting the shared one would cut off every other spec.
    const own = await privateNatsServer();
    const other = await NatsBus.connect({
      servers: own.url,
      name: `bus-spec-reconnect-${run}`,
      requestTimeoutMs: 2000,
      logger: createLogger('bus-spec', 'silent'),
    });
    try {
      const change = eventSubject(`spec.bus.${run}.after-reconnect`, Type.Object({ n: Type.Number() }));
      const heard: number[] = [];
      other.onBroadcast(change, ({ n }) => heard.push(n));
      let reconnects = 0;
      other.onReconnect(() => reconnects++);
      other.onReconnect(() => {
        throw new Error('a failing hook does not stop the others');
      });
      other.onReconnect(() => reconnects++);
      expect(reconnects).toBe(0);

      await own.restart();

      await eventually(() => expect(reconnects).toBe(2), { timeoutMs: 10_000 });
      await other.connection.flush();
      other.broadcast(change, { n: 7 });
      await eventually(() => expect(heard).toEqual([7]));
    } finally {
      await other.close();
      await own.stop();
    }
  });
});
