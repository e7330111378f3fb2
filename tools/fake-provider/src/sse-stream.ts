/**
 * Streamed answers of every dialect: OpenAI's `data: <json>\n\n` … `data: [DONE]`, Anthropic's named
 * `event: x\ndata: <json>\n\n` events, Gemini's `data: <json>\r\n\r\n` chunks (or a streamed JSON array
 * without `alt=sse`). Handlers frame their events; this is where the streaming faults live, the same for all
 * of them: pacing between content chunks, a connection cut after K chunks, an in-band error after K chunks.
 */
import type { ServerResponse } from 'node:http';
import type { ResolvedControls } from './fake-controls.js';
import { sleep } from './http-io.js';

export interface StreamPlan {
  readonly contentType: string;
  /** Framed events before the first content chunk (Anthropic's message_start…), sent with the status line. */
  readonly head?: string;
  /** Framed content chunks, one per answer word or tool-argument piece: what `chunkIntervalMs` paces and
   * `dropAfterChunks` / `streamErrorAfterChunks` count. */
  readonly content: readonly string[];
  /** Framed events after the content: the finish chunk, the usage chunk, the terminator. */
  readonly tail: string;
  /** The framed in-band error event `streamErrorAfterChunks` ends the stream with, instead of the tail. */
  readonly inBandError: string;
}

export const SSE_CONTENT_TYPE = 'text/event-stream; charset=utf-8';

/** OpenAI's framing (also Azure's). */
export const sseData = (json: string): string => `data: ${json}\n\n`;
export const SSE_DONE = 'data: [DONE]\n\n';
/** Anthropic's framing: every event is named, and the name repeats the payload's `type`. */
export const sseEvent = (name: string, json: string): string => `event: ${name}\ndata: ${json}\n\n`;

/**
 * Writes `data` and then destroys the connection once the bytes reached the kernel, so the client reliably
 * sees the chunks before the cut (destroying right away could discard still-buffered output). Writing ''
 * still flushes the status line and headers, which is what a cut after 0 chunks needs.
 */
function writeThenDrop(res: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    res.write(data, () => {
      res.destroy();
      resolve();
    });
  });
}

/** K only applies when the answer has at least K content chunks. */
function boundedBy(limit: number | undefined, chunks: number): number | undefined {
  return limit !== undefined && limit <= chunks ? limit : undefined;
}

export async function writeStream(
  res: ServerResponse,
  plan: StreamPlan,
  controls: ResolvedControls,
  signal: AbortSignal,
): Promise<void> {
  const { content, tail } = plan;
  const head = plan.head ?? '';
  const { chunkIntervalMs } = controls;
  // A cut "after K chunks" with K = all of them cuts just before the finish — the stream looks complete but
  // never terminates properly. An in-band error after K chunks replaces the finish; a cut at or before it wins.
  const dropAfter = boundedBy(controls.dropAfterChunks, content.length);
  const errorAfter = boundedBy(controls.streamErrorAfterChunks, content.length);
  const stopAt =
    dropAfter !== undefined && (errorAfter === undefined || dropAfter <= errorAfter) ? dropAfter : errorAfter;
  const ending = stopAt === undefined ? tail : stopAt === dropAfter ? undefined : plan.inBandError;

  res.writeHead(200, { 'content-type': plan.contentType, 'cache-control': 'no-cache' });

  if (chunkIntervalMs === 0) {
    // Fast path (benchmarks): the whole stream in one write.
    const body = head + (stopAt === undefined ? content.join('') : content.slice(0, stopAt).join(''));
    if (ending === undefined) await writeThenDrop(res, body);
    else res.end(body + ending);
    return;
  }

  const last = stopAt ?? content.length;
  for (let i = 0; i < last; i++) {
    if (i > 0 && !(await sleep(chunkIntervalMs, signal))) return; // the client left: stop producing
    res.write(i === 0 ? head + content[i] : content[i]);
  }
  if (last === 0 && head !== '') res.write(head);
  if (ending === undefined) return writeThenDrop(res, '');
  res.end(ending);
}
