import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PickedChannel } from '@tollgate/contracts';
import { TID_RESPONSE_HEADER } from '../http/request-context.js';
import type { FinalAnswer, RelayOutcome } from '../relay/relay-exchange.js';
import {
  dialectOf,
  recordingReply,
  relayExchange,
  TID,
  upstreamResponse,
  type ExchangeOptions,
} from './relay-fixtures.js';

export interface ServedAnswer {
  /** The client's response, its headers arrived. */
  response: IncomingMessage;
  received: ReceivedBody;
  /** The client closes its connection. */
  leave: () => void;
  /** What the answer resolved with. */
  outcome: Promise<RelayOutcome>;
  close: () => Promise<void>;
}

/**
 * Serves one final upstream answer (status 200, `headers`, a body made by
 * `produce`, which sees the client's abort signal as undici's body does) to a
 * real HTTP client on a free port through `deliver`. The exchange is built on
 * the client's socket; the reply already carries the X-Tid header, as the
 * edge's hook sets it.
 */
export async function serveFinalAnswer(options: {
  deliver: (answer: FinalAnswer) => Promise<RelayOutcome>;
  exchange: Omit<ExchangeOptions, 'reply'>;
  channel: PickedChannel;
  headers: Record<string, string>;
  produce: (signal: AbortSignal) => AsyncIterable<string>;
}): Promise<ServedAnswer> {
  let settle: (outcome: Promise<RelayOutcome>) => void = () => undefined;
  const outcome = new Promise<RelayOutcome>((resolve) => (settle = resolve));
  const server: Server = createServer((_request, raw) => {
    const { reply } = recordingReply(raw);
    void reply.header(TID_RESPONSE_HEADER, TID);
    const exchange = relayExchange({ ...options.exchange, reply });
    const response = upstreamResponse({
      status: 200,
      headers: options.headers,
      body: options.produce(exchange.client.signal),
    });
    settle(
      options.deliver({
        exchange,
        channel: options.channel,
        ...dialectOf(exchange, options.channel),
        response,
        started: performance.now(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { response, leave } = await openRequest(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  return {
    response,
    received: new ReceivedBody(response),
    leave,
    outcome,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends a request; resolves with the response as soon as its headers arrive. */
function openRequest(url: string): Promise<{ response: IncomingMessage; leave: () => void }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST' }, (response) =>
      resolve({ response, leave: () => request.destroy() }),
    );
    request.on('error', reject);
    request.end();
  });
}

/** A response body as it arrives at the client. */
export class ReceivedBody {
  /** The whole body, and whether it ended as a complete response (rather than a cut connection). */
  readonly ended: Promise<{ text: string; complete: boolean }>;
  private text = '';
  private readonly waiting: Array<{ part: string; resolve: () => void }> = [];

  constructor(response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.text += chunk;
      for (const waiter of this.waiting.filter(({ part }) => this.text.includes(part))) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
    response.on('error', () => undefined);
    this.ended = new Promise((resolve) =>
      response.on('close', () => resolve({ text: this.text, complete: response.complete })),
    );
  }

  /** Resolves once the client has received `part`. */
  received(part: string): Promise<void> {
    if (this.text.includes(part)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ part, resolve }));
  }
}

/** Ends, the way undici's body does, when the client's abort signal fires. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
}
