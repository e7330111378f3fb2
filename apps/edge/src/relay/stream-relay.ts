import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { describeFailure, isTimeout, type DialectError } from '@tollgate/providers';
import type { ClientConnection } from './client-connection.js';
import type { StreamFilter } from './stream-filter.js';

/** How a relayed stream ended. */
export type StreamEnd = 'completed' | 'client_gone' | 'upstream_failed' | 'cut_short';

export interface StreamRelayResult {
  end: StreamEnd;
  /** upstream_failed because the upstream was silent for longer than the channel's idle timeout. */
  timedOut: boolean;
  /** For the logs: why the upstream stream broke off. */
  failure: string | null;
}

export const STREAM_ERROR_CODE = 'upstream_stream_error';

/** The in-band error of a stream the upstream broke off (StreamFilter.failure renders it in the client's dialect). */
export const streamBrokeOff = (tid: string): DialectError => ({
  message: 'The upstream provider stopped in the middle of the answer; the answer is incomplete. Please try again.',
  type: 'server_error',
  param: null,
  code: STREAM_ERROR_CODE,
  tid,
});

export const STREAM_CUT_SHORT_CODE = 'gateway_stopping';

/** The in-band error of a stream still running when the stopping edge's deadline passed (ShutdownDeadline). */
export const streamCutShort = (tid: string): DialectError => ({
  message: 'The gateway is restarting and cut the answer short; the answer is incomplete. Please try again.',
  type: 'server_error',
  param: null,
  code: STREAM_CUT_SHORT_CODE,
  tid,
});

function drained(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

const ignore = (): void => undefined;

/**
 * Relays an upstream event stream to the client as it arrives: the headers
 * are flushed at once, and each upstream chunk is written (through the
 * filter) as soon as it is read — nothing is buffered beyond an incomplete
 * event. A slow client slows the upstream read (backpressure) instead of
 * growing memory. Always ends the response.
 */
export async function relayStream(args: {
  /** The upstream response body (undici's, in production). */
  upstream: AsyncIterable<Buffer | string>;
  raw: ServerResponse;
  headers: OutgoingHttpHeaders;
  filter: StreamFilter;
  client: ClientConnection;
  tid: string;
  /** Called once, when the first bytes go to the client: the time to first token. */
  onFirstChunk?: () => void;
  /** Fires when the edge is stopping and streams may run no longer (ShutdownDeadline). */
  deadline?: AbortSignal;
}): Promise<StreamRelayResult> {
  const { upstream, raw, filter, client, onFirstChunk } = args;
  let firstChunk = onFirstChunk !== undefined;
  if (args.deadline) client.cutShortAt(args.deadline);
  // A write racing a client disconnect must not become an unhandled 'error' event.
  raw.on('error', ignore);
  raw.writeHead(200, args.headers);
  raw.flushHeaders();
  try {
    for await (const chunk of upstream) {
      const out = filter.push(chunk);
      if (out.length === 0) continue;
      if (firstChunk) {
        firstChunk = false;
        onFirstChunk?.();
      }
      if (!raw.destroyed && !raw.write(out)) await drained(raw);
    }
    const rest = filter.end();
    if (rest.length > 0 && !raw.destroyed) raw.write(rest);
    return { end: 'completed', timedOut: false, failure: null };
  } catch (error) {
    filter.discard();
    if (client.gone) return { end: 'client_gone', timedOut: false, failure: null };
    if (client.cutShort) {
      if (!raw.destroyed) raw.write(filter.failure(streamCutShort(args.tid)));
      return { end: 'cut_short', timedOut: false, failure: null };
    }
    if (!raw.destroyed) raw.write(filter.failure(streamBrokeOff(args.tid)));
    return { end: 'upstream_failed', timedOut: isTimeout(error), failure: describeFailure(error) };
  } finally {
    if (!raw.destroyed && !raw.writableEnded) raw.end();
    raw.off('error', ignore);
  }
}
