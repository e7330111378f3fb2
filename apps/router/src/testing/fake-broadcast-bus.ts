import type { EventSubject } from '@tollgate/contracts';
import type { BroadcastBus } from '../broadcast-bus.js';

/**
 * In-memory stand-in for NATS broadcasts: every subscriber (every "replica"
 * sharing this bus) gets every message, as JSON, in publish order.
 */
export class FakeBroadcastBus implements BroadcastBus {
  readonly sent: Array<{ subject: string; payload: unknown }> = [];
  private readonly handlers = new Map<string, Array<(payload: unknown) => void>>();

  broadcast<Payload>(target: EventSubject<Payload>, payload: Payload): void {
    const copy: unknown = JSON.parse(JSON.stringify(payload));
    this.sent.push({ subject: target.name, payload: copy });
    for (const handler of this.handlers.get(target.name) ?? []) handler(copy);
  }

  onBroadcast<Payload>(target: EventSubject<Payload>, handler: (payload: Payload) => void): void {
    const list = this.handlers.get(target.name) ?? [];
    list.push(handler as (payload: unknown) => void);
    this.handlers.set(target.name, list);
  }

  sentOn<Payload>(target: EventSubject<Payload>): Payload[] {
    return this.sent.filter((message) => message.subject === target.name).map((message) => message.payload as Payload);
  }
}
