import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { Type } from '@tollgate/typebox';
import { subject } from '@tollgate/contracts';
import { createLogger } from '@tollgate/observability';
import { eventually, testNats, type TestNats } from '@tollgate/testing';
import { HandleRequest } from './handle-request.decorator.js';
import { NatsBus } from './nats-bus.js';
import { createNatsServer, DrainingNatsServer } from './nats-microservice.js';

/** How a service stops: a real Nest NATS service on a real NATS server, closed the way SIGTERM closes it. */
describe(DrainingNatsServer.name, () => {
  const run = randomBytes(6).toString('hex');
  const SLOW_MS = 600;
  const slow = subject(`spec.draining.${run}.slow`, Type.Object({ n: Type.Integer() }), Type.Integer());
  const logger = createLogger('draining-spec', 'silent');

  @Controller()
  class SlowController {
    started = 0;

    @HandleRequest(slow)
    async slow(@Payload() request: { n: number }) {
      this.started += 1;
      await delay(SLOW_MS);
      return request.n * 2;
    }
  }

  @Module({ controllers: [SlowController] })
  class SlowModule {}

  let nats: TestNats;
  let bus: NatsBus;

  beforeAll(async () => {
    nats = await testNats();
    bus = await NatsBus.connect({ servers: nats.url, name: `draining-spec-${run}`, requestTimeoutMs: 5000, logger });
  });

  afterAll(async () => {
    await bus?.close();
    await nats?.stop();
  });

  async function startService(): Promise<{ app: INestMicroservice; controller: SlowController }> {
    const app = await NestFactory.createMicroservice(SlowModule, {
      strategy: createNatsServer('auth', nats.url),
      logger: false,
    });
    await app.listen();
    return { app, controller: app.get(SlowController) };
  }

  it('answers the requests it is handling when it is told to stop, then closes', async () => {
    const { app, controller } = await startService();
    const answers = Promise.all([bus.request(slow, { n: 1 }), bus.request(slow, { n: 2 })]);
    await eventually(() => Promise.resolve(expect(controller.started).toBe(2)));
    await app.close();
    await expect(answers).resolves.toEqual([2, 4]);
  });

  it('closes at once when no handler runs, not after a fixed grace period', async () => {
    const { app } = await startService();
    const started = Date.now();
    await app.close();
    // Nest's own graceful shutdown slept a fixed second here.
    expect(Date.now() - started).toBeLessThan(500);
  });
});
