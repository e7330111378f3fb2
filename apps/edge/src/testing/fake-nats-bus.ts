import { RouterSubjects, type EventSubject, type Subject, type UpstreamOutcome } from '@tollgate/contracts';
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
  private readonly closingHooks: Array<() => Promise<void>> = [];
  private readonly broadcastHandlers = new Map<string, Array<(payload: unknown) => void>>();
  private readonly reconnectHooks: Array<() => void> = [];
  /** JetStream publishes, as the subject and the parsed payload. */
  readonly appended: Array<{ subject: string; payload: unknown; msgID?: string }> = [];
  private appendAnswer: (subject: string) => Promise<unknown> = () => Promise.resolve({ seq: 1 });

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

  /** The upstream outcomes reported to the router, in order, whatever batches they went in. */
  reportedOutcomes(): UpstreamOutcome[] {
    return this.emitted(RouterSubjects.outcomes).flatMap((batch) => batch.outcomes);
  }

  onBroadcast<Payload>(target: EventSubject<Payload>, handler: (payload: Payload) => void): void {
    const handlers = this.broadcastHandlers.get(target.name) ?? [];
    handlers.push(handler as (payload: unknown) => void);
    this.broadcastHandlers.set(target.name, handlers);
  }

  /** A broadcast arriving from another service, as JSON crossed the wire. */
  deliver<Payload>(target: EventSubject<Payload>, payload: Payload): void {
    for (const handler of this.broadcastHandlers.get(target.name) ?? []) handler(onTheWire(payload));
  }

  /** How JetStream answers the next publishes: a PubAck by default, or what the test gives (a rejection). */
  answerAppends(answer: (subject: string) => Promise<unknown>): this {
    this.appendAnswer = answer;
    return this;
  }

  jetstream(): { publish: (subject: string, payload: string, options?: { msgID?: string }) => Promise<unknown> } {
    return {
      publish: (subject, payload, options) => {
        this.appended.push({ subject, payload: JSON.parse(payload) as unknown, msgID: options?.msgID });
        return this.appendAnswer(subject);
      },
    };
  }

  onReconnect(hook: () => void): void {
    this.reconnectHooks.push(hook);
  }

  /** The connection came back: runs the reconnect hooks. */
  reconnected(): void {
    for (const hook of this.reconnectHooks) hook();
  }

  onClosing(hook: () => Promise<void>): void {
    this.closingHooks.push(hook);
  }

  /** Runs the closing hooks, as NatsBus.close does before the connection closes. */
  async close(): Promise<void> {
    await Promise.all(this.closingHooks.map((hook) => hook()));
  }

  emitted<Payload>(target: EventSubject<Payload>): Payload[] {
    return this.events.filter((event) => event.subject === target.name).map((event) => event.payload as Payload);
  }
}
