/** The private nats-server of the Tollgate target: finding the binary and reading its monitoring endpoint. */
import { spawnSync } from 'node:child_process';
import { request } from 'undici';

export function findNatsServer() {
  for (const candidate of ['nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server']) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return null;
}

export function natsServerVersion(binary) {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return `${probe.stdout}${probe.stderr}`.trim();
}

/**
 * JetStream's view of the settlement stream via the monitoring port (/jsz): how many settlements the edge
 * published that billing has not acknowledged yet. Settlement is asynchronous by design; a backlog that
 * grows under load and drains afterwards is how that shows, and the drain would otherwise steal CPU from the
 * next target's measurement (run.js waits for it).
 */
export class NatsMonitor {
  constructor(port) {
    this.url = `http://127.0.0.1:${port}/jsz?accounts=true&streams=true&consumers=true`;
  }

  async pendingSettlements() {
    const res = await request(this.url);
    const jsz = await res.body.json();
    let pending = 0;
    let ackPending = 0;
    let messages = 0;
    for (const account of jsz.account_details ?? []) {
      for (const stream of account.stream_detail ?? []) {
        messages += stream.state?.messages ?? 0;
        for (const consumer of stream.consumer_detail ?? []) {
          pending += consumer.num_pending ?? 0;
          ackPending += consumer.num_ack_pending ?? 0;
        }
      }
    }
    return { pending, ackPending, backlog: pending + ackPending, streamMessages: messages };
  }
}
