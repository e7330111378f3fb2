/**
 * Server-sent events the way OpenAI streams: `data: <json>\n\n` per chunk, `data: [DONE]\n\n` at the end.
 * This is also where the streaming faults live (pacing between chunks, a connection cut after K chunks),
 * shared by chat completions and legacy completions.
 */
import type { ServerResponse } from 'node:http';
import type { ResolvedControls } from './fake-controls.js';
import { sleep } from './http-io.js';

export interface SsePlan {
  /** Serialized content chunks, one per answer word: what `chunkIntervalMs` paces and `dropAfterChunks` counts. */
  readonly content: readonly string[];
  /** Serialized chunks sent after the content (the finish_reason chunk, the usage chunk), before `[DONE]`. */
  readonly tail: readonly string[];
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } as const;
const DONE = 'data: [DONE]\n\n';

const frame = (json: string): string => `data: ${json}\n\n`;
const frames = (events: readonly string[]): string => events.map(frame).join('');

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

export async function writeSse(
  res: ServerResponse,
  plan: SsePlan,
  controls: ResolvedControls,
  signal: AbortSignal,
): Promise<void> {
  const { content, tail } = plan;
  const { chunkIntervalMs } = controls;
  // A cut "after K chunks" only happens if the answer has at least K chunks; K = all of them cuts just before
  // the finish chunk and [DONE] — the stream looks complete but never terminates properly.
  const dropAfter =
    controls.dropAfterChunks !== undefined && controls.dropAfterChunks <= content.length
      ? controls.dropAfterChunks
      : undefined;

  res.writeHead(200, SSE_HEADERS);

  if (chunkIntervalMs === 0) {
    // Fast path (benchmarks): the whole stream in one write.
    if (dropAfter === undefined) res.end(frames(content) + frames(tail) + DONE);
    else await writeThenDrop(res, frames(content.slice(0, dropAfter)));
    return;
  }

  for (let i = 0; i < content.length; i++) {
    if (i === dropAfter) return writeThenDrop(res, '');
    if (i > 0 && !(await sleep(chunkIntervalMs, signal))) return; // the client left: stop producing
    res.write(frame(content[i]));
  }
  if (dropAfter === content.length) return writeThenDrop(res, '');
  res.end(frames(tail) + DONE);
}
