import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Controller, Module, SetMetadata, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { Type, type Static } from '@tollgate/typebox';
import { eventSubject, Name, ok, Reply, subject } from '@tollgate/contracts';
import { DenialReason } from '@tollgate/errors';
import { createLogger } from '@tollgate/observability';
import { eventually, testNats, type TestNats } from '@tollgate/testing';
import { HandleEvent, HandleRequest } from './handle-request.decorator.js';
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
  const greeted = eventSubject(`spec.handle.${run}.greeted`, Greeting);

  const handled: Array<{ subject: string; payload: Greeting }> = [];
  const logger = createLogger('handle-request-spec', 'silent');
  const warn = jest.spyOn(logger, 'warn');

  @Controller()
  class GreetingController {
    @HandleRequest(greet)
    greet(@Payload() request: Greeting) {
      handled.push({ subject: greet.name, payload: request });
      return ok(`hello ${request.name}`);
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
    await app.listen();
    bus = await NatsBus.connect({ servers: nats.url, name: `handle-spec-${run}`, requestTimeoutMs: 2000, logger });
  });

  afterAll(async () => {
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
    expect(warn).toHaveBeenCalledWith(
      { subject: count.name, problem: { param: 'times', detail: 'times must be an integer' } },
      'message does not match its subject',
    );
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
      expect(warn.mock.calls.some(([fields]) => isAbout(fields, greeted.name))).toBe(true);
    });
    expect(handledOn(greeted.name)).toEqual([{ name: 'bob' }]);
  });
});

const isAbout = (fields: unknown, subjectName: string): boolean =>
  typeof fields === 'object' && fields !== null && (fields as { subject?: unknown }).subject === subjectName;
