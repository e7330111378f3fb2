import type { EventSubject, Subject } from '@tollgate/contracts';
import type { NatsBus } from '@tollgate/nats';

type Answer = (data: unknown) => unknown;

const onTheWire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

/**
 * NatsBus as the edge's request path uses it: each request subject is
 * answered by the handler the test gives it (a value, a promise the test
 * resolves later, or a rejection), and every request and event is recorded
 * as it went on the wire at the moment it was sent (a JSON copy: what the
 * sender changes later was not sent).
 */
export class FakeNatsBus {
  readonly requests: Array<{ subject: string; data: unknown }> = [];
  readonly events: Array<{ subject: string; payload: unknown }> = [];
  private readonly answers = new Map<string, Answer>();

  /** The bus as the code under test takes it. */
  get bus(): NatsBus {
    return this as unknown as NatsBus;
  }

  answer<Req, Res>(target: Subject<Req, Res>, handler: (data: Req) => Res | Promise<Res>): this {
    this.answers.set(target.name, handler as Answer);
    return this;
  }

  async request<Req, Res>(target: Subject<Req, Res>, data: Req): Promise<Res> {
    const sent = onTheWire(data);
    this.requests.push({ subject: target.name, data: sent });
    const answer = this.answers.get(target.name);
    if (!answer) throw new Error(`the test gave no answer for ${target.name}`);
    return (await answer(sent)) as Res;
  }

  emit<Payload>(target: EventSubject<Payload>, payload: Payload): void {
    this.events.push({ subject: target.name, payload: onTheWire(payload) });
  }

  requested<Req, Res>(target: Subject<Req, Res>): Req[] {
    return this.requests.filter((request) => request.subject === target.name).map((request) => request.data as Req);
  }

  emitted<Payload>(target: EventSubject<Payload>): Payload[] {
    return this.events.filter((event) => event.subject === target.name).map((event) => event.payload as Payload);
  }
}
