/**
 * Streaming: sequential `"stream": true` requests whose answer is N server-sent-event chunks. Two times
 * per request, from just before it is written:
 *   - time to first chunk (TTFC): the first body bytes that contain an SSE `data:` frame — what a chat UI
 *     waits for before it can show anything;
 *   - total: until the body has ended.
 * Every answer is checked: an event stream (content-type text/event-stream), with at least N content
 * frames and a final `data: [DONE]`. A gateway that buffers the stream, drops chunks or answers with plain
 * JSON is caught here instead of looking fast.
 */
import process from 'node:process';
import { Pool } from 'undici';
import { recordError } from './sequential.js';

const REQUEST_TIMEOUT_MS = 30_000;

export function streamingClient(endpoint) {
  const pool = new Pool(endpoint.origin, {
    connections: 1,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS,
  });
  const headers = { 'content-type': 'application/json', accept: 'text/event-stream', ...endpoint.headers };
  return {
    async run(body, count, expectedChunks, { maxSeconds = 300 } = {}) {
      const ttfcUs = [];
      const totalUs = [];
      const errors = { count: 0, statuses: {}, samples: [] };
      const deadline = process.hrtime.bigint() + BigInt(Math.round(maxSeconds * 1e9));
      let bodyChunksSeen = 0;
      for (let i = 0; i < count; i++) {
        const started = process.hrtime.bigint();
        if (started > deadline) {
          errors.truncated = `stopped after ${i} of ${count} requests (${maxSeconds} s limit)`;
          break;
        }
        // As in sequential.js: Tollgate's tally counts the answer on its status, whatever the stream holds.
        endpoint.tally?.request();
        let answered = false;
        try {
          const res = await pool.request({ method: 'POST', path: endpoint.path, headers, body });
          endpoint.tally?.answer(res.statusCode, res.headers['x-tid']);
          answered = true;
          let firstDataAt = null;
          let text = '';
          for await (const chunk of res.body) {
            bodyChunksSeen++;
            const piece = chunk.toString('utf8');
            if (firstDataAt === null && (text + piece).includes('data:')) firstDataAt = process.hrtime.bigint();
            text += piece;
          }
          const ended = process.hrtime.bigint();
          const problem = checkStream(res, text, expectedChunks);
          if (problem) {
            recordError(errors, problem.key, problem.detail);
            continue;
          }
          ttfcUs.push(Number(firstDataAt - started) / 1000);
          totalUs.push(Number(ended - started) / 1000);
        } catch (error) {
          if (!answered) endpoint.tally?.failure(error?.code ?? 'socket error');
          recordError(errors, error?.code ?? 'socket error', error?.message ?? String(error));
        }
      }
      // How many network reads a response took on average: ~1 means the whole stream arrived in one piece.
      return { ttfcUs, totalUs, errors, readsPerResponse: count > 0 ? bodyChunksSeen / count : null };
    },
    close: () => pool.close(),
  };
}

function checkStream(res, text, expectedChunks) {
  if (res.statusCode < 200 || res.statusCode >= 300) return { key: String(res.statusCode), detail: text };
  const contentType = String(res.headers['content-type'] ?? '');
  if (!contentType.includes('text/event-stream')) {
    return { key: 'not an event stream', detail: `content-type "${contentType}": ${text.slice(0, 300)}` };
  }
  const frames = text.split('\n\n').filter((frame) => frame.startsWith('data:'));
  const content = frames.filter((frame) => frame.includes('"content"')).length;
  if (content < expectedChunks || frames.at(-1)?.trim() !== 'data: [DONE]') {
    return {
      key: 'incomplete stream',
      detail: `${content} content frames (expected ≥ ${expectedChunks}), last frame ${JSON.stringify(frames.at(-1))}`,
    };
  }
  return null;
}
