import { afterEach, describe, expect, it } from '@jest/globals';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientConnection } from './client-connection.js';
import { StreamFilter } from './stream-filter.js';
import { relayStream, STREAM_ERROR_CODE, type StreamRelayResult } from './stream-relay.js';

const TID = '0123456789abcdef0123456789abcdef';
const event = (text: string): string => `data: {"choices":[{"index":0,"delta":{"content":"${text}"}}]}\n\n`;

/** A promise with its resolve function, to let a test step an upstream forward. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
}

interface Harness {
  url: string;
  result: Promise<StreamRelayResult>;
  filter: StreamFilter;
}

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A real HTTP server whose one route relays the given upstream; the upstream sees the client's abort signal. */
async function serve(upstream: (signal: AbortSignal) => AsyncIterable<string>): Promise<Harness> {
  let settle: (result: StreamRelayResult) => void = () => undefined;
  const result = new Promise<StreamRelayResult>((resolve) => (settle = resolve));
  const filter = new StreamFilter({ stripUsageChunk: true, clientModel: null });
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const client = new ClientConnection(res);
    void relayStream({
      upstream: upstream(client.signal),
      raw: res,
      headers: { 'content-type': 'text/event-stream', 'x-tid': TID },
      filter,
      client,
      tid: TID,
    }).then(settle);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, result, filter };
}

/** Opens the stream; resolves with the response as soon as the headers arrive. */
function open(url: string): Promise<{ response: IncomingMessage; destroy: () => void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (response) => resolve({ response, destroy: () => req.destroy() }));
    req.on('error', reject);
    req.end();
  });
}

async function readAll(response: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of response) text += (chunk as Buffer).toString();
  return text;
}

describe(relayStream.name, () => {
  it('flushes the headers before the first event, and sends each event before the next is produced', async () => {
    const gotHeaders = gate();
    const gotFirst = gate();
    const harness = await serve(async function* () {
      await gotHeaders.opened; // nothing is produced until the client has the headers
      yield event('one');
      await gotFirst.opened; // the second event only exists once the client holds the first
      yield event('two');
    });
    const { response } = await open(harness.url);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(response.headers['x-tid']).toBe(TID);
    gotHeaders.open();
    const first = await new Promise<string>((resolve) =>
      response.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(first).toBe(event('one'));
    gotFirst.open();
    expect(await readAll(response)).toBe(event('two'));
    expect(await harness.result).toEqual({ end: 'completed', timedOut: false, failure: null });
  });

  it('ends a stream the upstream broke off with an in-band error event carrying the tid, then [DONE]', async () => {
    const harness = await serve(async function* () {
      yield event('one');
      yield 'data: {"choices":[{"index":0,"delta":{"content":"half'; // the rest never comes
      throw Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    });
    const { response } = await open(harness.url);
    const text = await readAll(response);
    const events = text.split('\n\n').filter(Boolean);
    expect(events[0]).toBe(event('one').trimEnd());
    expect(JSON.parse(events[1].slice('data: '.length))).toEqual({
      error: {
        message: expect.stringContaining('upstream provider stopped'),
        type: 'server_error',
        param: null,
        code: STREAM_ERROR_CODE,
        tid: TID,
      },
    });
    expect(events[2]).toBe('data: [DONE]');
    expect(events).toHaveLength(3);
    expect(await harness.result).toMatchObject({ end: 'upstream_failed', timedOut: false });
    expect(harness.filter.producedText()).toEqual(['one']);
  });

  it('reports a silent upstream (body timeout) as timed out', async () => {
    const harness = await serve(async function* () {
      yield event('one');
      throw Object.assign(new Error('Body Timeout Error'), { code: 'UND_ERR_BODY_TIMEOUT' });
    });
    const { response } = await open(harness.url);
    expect(await readAll(response)).toContain(STREAM_ERROR_CODE);
    expect(await harness.result).toMatchObject({ end: 'upstream_failed', timedOut: true });
  });

  it('aborts the upstream when the client leaves, keeping what was produced', async () => {
    let upstreamAborted = false;
    const harness = await serve(async function* (signal) {
      yield event('one');
      try {
        await untilAborted(signal);
      } finally {
        upstreamAborted = signal.aborted;
      }
    });
    const { response, destroy } = await open(harness.url);
    await new Promise((resolve) => response.once('data', resolve));
    destroy();
    expect(await harness.result).toEqual({ end: 'client_gone', timedOut: false, failure: null });
    expect(upstreamAborted).toBe(true);
    expect(harness.filter.producedText()).toEqual(['one']);
  });
});
