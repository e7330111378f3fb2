/**
 * The control plane: HTTP endpoints under `/__` that let another process (an e2e suite driving a spawned
 * fake, a benchmark script) do what in-process tests do through the FakeProvider object.
 *
 *   GET    /__control         → the current state { defaults, byModel, queue }
 *   POST   /__control         ← controls to merge into the defaults, optionally { byModel: { model: controls } }
 *   POST   /__control/reset   → back to the start options; empties the queue and the request log
 *   POST   /__control/queue   ← [controls, …] one-shot controls for the next inference requests, in order
 *   GET    /__requests        → the recorded requests, oldest first
 *   DELETE /__requests        → forget the recorded requests
 *
 * These requests are neither recorded nor subject to controls: a test must always be able to reach them.
 * They answer in OpenAI's error shape, whatever dialects the data plane speaks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDefaultsPatch, parseQueue, type ControlState } from './control-state.js';
import { InvalidControlError } from './fake-controls.js';
import { FakeHttpError, UnreadableBodyError } from './fake-http-error.js';
import { parseJson, readBody, sendError, sendJson } from './http-io.js';
import { invalidRequest, invalidUrl, unreadableBody } from './openai-error.js';
import type { RequestLog } from './request-log.js';

export const CONTROL_PATH_PREFIX = '/__';

export function createControlPlane(
  state: ControlState,
  log: RequestLog,
): (req: IncomingMessage, res: ServerResponse, method: string, path: string) => Promise<void> {
  const json = (res: ServerResponse, value: unknown): void => sendJson(res, 200, JSON.stringify(value));

  return async (req, res, method, path) => {
    try {
      const body = parseJson(await readBody(req));
      switch (`${method} ${path}`) {
        case 'GET /__control':
          return json(res, state.snapshot());
        case 'POST /__control':
          state.setDefaults(parseDefaultsPatch(body ?? {}));
          return json(res, state.snapshot());
        case 'POST /__control/reset':
          state.reset();
          log.clear();
          return json(res, state.snapshot());
        case 'POST /__control/queue':
          return json(res, { queued: state.enqueue(parseQueue(body)) });
        case 'GET /__requests':
          return json(res, log.snapshot());
        case 'DELETE /__requests':
          log.clear();
          return json(res, { cleared: true });
        default:
          throw invalidUrl(method, path);
      }
    } catch (error) {
      if (error instanceof InvalidControlError)
        return sendError(res, invalidRequest(error.message, null, 'invalid_fake_control'));
      if (error instanceof UnreadableBodyError) return sendError(res, unreadableBody(error.reason));
      if (error instanceof FakeHttpError) return sendError(res, error);
      throw error;
    }
  };
}
