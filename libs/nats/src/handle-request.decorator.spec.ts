import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Module, SetMetadata, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { Type, type Static } from '@tollgate/typebox';
import { eventSubject, Name, ok, Reply, subject } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { createLogger, newTid, TraceContext } from '@tollgate/observability';
import { eventually, testNats, type TestNats } from '@tollgate/testing';
import { noteDecision } from './decision-note.js';
import { HandleEvent, HandleRequest } from './handle-request.decorator.js';
import { logHandledMessages } from './handled-message-log.js';
import { NatsBus } from './nats-bus.js';
import { RemoteFailureError } from './nats-errors.js';
import { createNatsServer } from './nats-microservice.js';
import { RpcFailureFilter } from './rpc-failure.filter.js';

/** A real Nest NATS service on a real NATS server, as the services run; subjects are unique to this run. */
describe(HandleRequest.name, () => {
  const run = randomBytes(6).toString('hex');
  const Greeting = Type.Object(
    { name: Name(), times: Type.Optional(Type.Integer({ minimum: 1 })) },
    { additionalProperties: false },
  );
  type Greeting = Static<typeof Greeting>;
  const greet = subject(`spec.handle.${run}.greet`, Greeting, Reply(Type.String()));
  const count = subject(`spec.handle.${run}.count`, Greeting, Type.Integer());
  const fail = subject(`spec.handle.${run}.fail`, Greeting, Reply(Type.String()));
  const greeted = eventSubject(`spec.handle.${run}.greeted`, Greeting);
  const counted = eventSubject(`spec.handle.${run}.counted`, Greeting);

  const handled: Array<{ subject: string; payload: Greeting }> = [];
  /** Every line the service logged, parsed: the handled-message lines and the failure filter's. */
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(
    'handle-request-spec',
    'debug',
    {},
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    }),
  );
  const linesAbout = (subjectName: string) => lines.filter((line) => line.subject === subjectName);

  @Controller()
  class GreetingController {
    @HandleRequest(greet)
    greet(@Payload() request: Greeting) {
      handled.push({ subject: greet.name, payload: request });
      // The decision a handler names for its message's line.
      return noteDecision(ok(`hello ${request.name}`), 'greeting given', { name: request.name });
    }

    @HandleRequest(fail)
    async fail(): Promise<Reply<string>> {
      await Promise.resolve();
      throw new Error('the database went away');
    }

    @HandleEvent(counted, { logLevel: 'debug' })
    counted(@Payload() event: Greeting) {
      handled.push({ subject: counted.name, payload: event });
    }

    @HandleRequest(count)
    count(@Payload() request: Greeting) {
      handled.push({ subject: count.name, payload: request });
      return request.times ?? 1;
    }

    @HandleEvent(greeted)
    greeted(@Payload() event: Greeting) {
      handled.push({ subject: greeted.name, payload: event });
    }
  }

  @Module({ controllers: [GreetingController] })
  class GreetingModule {}

  let nats: TestNats;
  let app: INestMicroservice;
  let bus: NatsBus;

  beforeAll(async () => {
    nats = await testNats();
    app = await NestFactory.createMicroservice(GreetingModule, {
      strategy: createNatsServer('auth', nats.url),
      logger: false,
    });
    app.useGlobalFilters(new RpcFailureFilter(logger));
    logHandledMessages(logger);
    await app.listen();
    bus = await NatsBus.connect({ servers: nats.url, name: `handle-spec-${run}`, requestTimeoutMs: 2000, logger });
  });

  afterAll(async () => {
    logHandledMessages(undefined);
    await bus?.close();
    await app?.close();
    await nats?.stop();
  });

  const handledOn = (name: string) => handled.filter((entry) => entry.subject === name).map((entry) => entry.payload);

  it('hands a request its schema accepts to the handler', async () => {
    expect(await bus.request(greet, { name: 'ann' })).toEqual({ ok: true, value: 'hello ann' });
    expect(handledOn(greet.name)).toEqual([{ name: 'ann' }]);
  });

  it.each([
    [{ name: 'ann', times: 0 }, 'times'],
    [{ name: 'ann', colour: 'red' }, 'colour'],
    [{ times: 2 }, 'name'],
  ])('refuses %j as the documented 400 naming %s, without calling the handler', async (request, param) => {
    const before = handledOn(greet.name).length;
    expect(await bus.request(greet, request as Greeting)).toEqual({
      ok: false,
      denial: { reason: DenialReason.InvalidRequest, params: { param, detail: expect.any(String) } },
    });
    expect(handledOn(greet.name)).toHaveLength(before);
  });

  it('fails a request its subject cannot refuse, naming the field in the log, without calling the handler', async () => {
    expect(await bus.request(count, { name: 'ann', times: 3 })).toBe(3);
    await expect(bus.request(count, { name: 'ann', times: 'x' } as unknown as Greeting)).rejects.toThrow(
      RemoteFailureError,
    );
    expect(handledOn(count.name)).toEqual([{ name: 'ann', times: 3 }]);
    const refusals = linesAbout(count.name).filter((line) => line.outcome === 'invalid_message');
    expect(refusals).toEqual([
      expect.objectContaining({
        level: 40,
        problem: { param: 'times', detail: 'times must be an integer' },
        msg: 'message does not match its subject',
      }),
    ]);
  });

  it('logs one line per request, in its tid: the subject, the outcome, the milliseconds and the noted decision', async () => {
    const tid = newTid();
    await TraceContext.run(tid, () => bus.request(greet, { name: 'cy' }));
    await TraceContext.run(tid, () => bus.request(greet, { name: 'cy', times: 0 }));
    await eventually(() => expect(lines.filter((line) => line.tid === tid)).toHaveLength(2));
    expect(lines.filter((line) => line.tid === tid)).toEqual([
      expect.objectContaining({
        level: 30,
        subject: greet.name,
        outcome: 'ok',
        ms: expect.any(Number),
        name: 'cy',
        msg: 'greeting given',
      }),
      // A refusal's outcome is its reason; the handler did not run, so there is no decision to tell.
      expect.objectContaining({ level: 30, subject: greet.name, outcome: 'invalid_request', msg: 'message handled' }),
    ]);
  });

  it('logs a failure once, on its message line, with the error, and answers the caller without it', async () => {
    const tid = newTid();
    await expect(TraceContext.run(tid, () => bus.request(fail, { name: 'dee' }))).rejects.toThrow(RemoteFailureError);
    await eventually(() => expect(lines.filter((line) => line.tid === tid)).toHaveLength(1));
    expect(lines.filter((line) => line.tid === tid)).toEqual([
      expect.objectContaining({
        level: 50,
        subject: fail.name,
        outcome: 'failed',
        err: expect.objectContaining({ message: 'the database went away' }),
        msg: 'message failed',
      }),
    ]);
    expect(lines.filter((line) => line.msg === 'handler failed')).toEqual([]);
  });

  it('logs an event at the level its subject asks for', async () => {
    bus.emit(counted, { name: 'eve' });
    await eventually(() => expect(linesAbout(counted.name)).toHaveLength(1));
    expect(linesAbout(counted.name)).toEqual([expect.objectContaining({ level: 20, outcome: 'ok' })]);
  });

  it('keeps what decorators applied before it recorded on the method', () => {
    class Probe {
      @HandleRequest(greet)
      @SetMetadata('spec:kept', 'yes')
      greet(request: Greeting) {
        return ok(request.name);
      }
    }
    expect(
      Reflect.getMetadata('spec:kept', Object.getOwnPropertyDescriptor(Probe.prototype, 'greet')?.value as object),
    ).toBe('yes');
  });

  it('drops an event its schema refuses, and hands on the next one', async () => {
    bus.emit(greeted, { name: '' });
    bus.emit(greeted, { name: 'bob' });
    await eventually(() => {
      expect(handledOn(greeted.name)).toHaveLength(1);
      expect(linesAbout(greeted.name).map((line) => line.outcome)).toEqual(
        expect.arrayContaining(['invalid_message', 'ok']),
      );
    });
    expect(handledOn(greeted.name)).toEqual([{ name: 'bob' }]);
  });
});
