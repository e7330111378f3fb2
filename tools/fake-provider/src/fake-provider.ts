/**
 * The fake OpenAI-compatible upstream: a plain `node:http` server with keep-alive, used by unit and e2e tests,
 * by the benchmark (as the baseline the gateway is compared against) and by users for their own load tests.
 *
 * Request flow: read + record the request → 404 for unknown paths → resolve controls (see control-state.ts
 * for precedence) → hang / wait / fail as the controls say → answer through the endpoint's handler.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { handleChatCompletions } from './chat-completions.handler.js';
import { controlsFromHeaders } from './control-headers.js';
import { CONTROL_PATH_PREFIX, createControlPlane } from './control-plane.handler.js';
import {
  ControlState,
  parseDefaultsPatch,
  parseQueue,
  type FakeControlSnapshot,
  type FakeDefaultsPatch,
} from './control-state.js';
import { handleCompletions } from './completions.handler.js';
import { handleEmbeddings } from './embeddings.handler.js';
import { CONTROL_NAMES, InvalidControlError, type FakeControls } from './fake-controls.js';
import { parseJson, readBody, sendError, sleep } from './http-io.js';
import { handleImageGenerations } from './images.handler.js';
import { isRecord } from './json-guards.js';
import { createModelHandlers, DEFAULT_FAKE_MODELS, MODELS_PREFIX } from './models.handler.js';
import { handleModerations } from './moderations.handler.js';
import { forcedError, invalidRequest, invalidUrl, OpenAIHttpError } from './openai-error.js';
import type { FakeHandler } from './request-context.js';
import { RequestLog, type RecordedRequest } from './request-log.js';
import { handleSpeech } from './speech.handler.js';

export interface FakeProviderOptions extends FakeControls {
  /** TCP port; 0 (the default) picks a free one — what tests should use. */
  port?: number;
  /** Interface to bind; loopback by default so a test run never exposes a server on the network. */
  host?: string;
  /** Per-model default controls, keyed by the request body's `model`. */
  byModel?: Record<string, FakeControls>;
  /** How many recent requests `requests` keeps (default 1000; 0 disables recording). */
  maxRecordedRequests?: number;
  /** Ids listed by `GET /v1/models`. */
  models?: readonly string[];
}

export interface FakeProvider {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`; the OpenAI base URL is `${url}/v1`. */
  readonly url: string;
  readonly port: number;
  /** The most recent requests (bounded), oldest first; a fresh snapshot on every read. */
  readonly requests: RecordedRequest[];
  /** Merges controls into the defaults (`null` clears one); `byModel` entries merge per model. */
  setDefaults(patch: FakeDefaultsPatch): void;
  /** Appends one-shot controls consumed by the next inference (POST) requests in order; returns the queue length. */
  enqueue(controls: readonly FakeControls[]): number;
  /** Back to the start options; empties the queue and the request log. */
  reset(): void;
  clearRequests(): void;
  /** The current defaults, per-model controls and queue. */
  controls(): FakeControlSnapshot;
  /** Stops listening and destroys every connection, hanging and streaming ones included. Idempotent. */
  close(): Promise<void>;
}

interface Route {
  readonly handler: FakeHandler;
  /** Inference calls consume the one-shot queue; metadata calls (model listing) do not. */
  readonly inference: boolean;
}

const DEFAULT_MAX_RECORDED = 1000;
/**
 * Longer than the idle timeout of common clients and load balancers (undici 4 s, Node's agent 5 s, AWS ALB
 * 60 s), so the client always closes an idle connection first: the server closing a connection the client is
 * just reusing would show up as random ECONNRESETs in benchmarks.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Only requests that wait on timers need to notice a closed connection. Creating an AbortController per request
 * (and a DOMException per abort) cost ~15% of throughput in the benchmark profile, so the others share a
 * signal that never fires, and aborts use a prebuilt reason instead of the default DOMException.
 */
const NEVER_ABORTED = new AbortController().signal;
const CONNECTION_CLOSED = new Error('connection closed');

function abortOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort(CONNECTION_CLOSED));
  return controller.signal;
}

const withoutQuery = (url: string): string => {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
};

/** A URL clients can actually connect to, even when bound to a wildcard address. */
function baseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Splits start options into the instance's initial controls, validated like any other controls input. */
function initialControls(options: FakeProviderOptions): FakeDefaultsPatch {
  const controls: Record<string, unknown> = {};
  for (const name of CONTROL_NAMES) if (options[name] !== undefined) controls[name] = options[name];
  if (options.byModel !== undefined) controls.byModel = options.byModel;
  return parseDefaultsPatch(controls);
}

export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`invalid port ${port}`);
  const host = options.host ?? '127.0.0.1';
  const maxRecorded = options.maxRecordedRequests ?? DEFAULT_MAX_RECORDED;
  if (!Number.isInteger(maxRecorded) || maxRecorded < 0)
    throw new RangeError(`invalid maxRecordedRequests ${maxRecorded}`);

  const state = new ControlState(initialControls(options));
  const log = new RequestLog(maxRecorded);
  const controlPlane = createControlPlane(state, log);
  const models = createModelHandlers(options.models ?? DEFAULT_FAKE_MODELS);
  const routes = new Map<string, Route>([
    ['POST /v1/chat/completions', { handler: handleChatCompletions, inference: true }],
    ['POST /v1/completions', { handler: handleCompletions, inference: true }],
    ['POST /v1/embeddings', { handler: handleEmbeddings, inference: true }],
    ['POST /v1/images/generations', { handler: handleImageGenerations, inference: true }],
    ['POST /v1/audio/speech', { handler: handleSpeech, inference: true }],
    ['POST /v1/moderations', { handler: handleModerations, inference: true }],
    ['GET /v1/models', { handler: models.list, inference: false }],
  ]);
  const retrieveModel: Route = { handler: models.retrieve, inference: false };
  let seq = 0;

  const findRoute = (method: string, path: string): Route | undefined =>
    routes.get(`${method} ${path}`) ??
    (method === 'GET' && path.startsWith(MODELS_PREFIX) && path.length > MODELS_PREFIX.length
      ? retrieveModel
      : undefined);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = withoutQuery(req.url ?? '/');
    if (path.startsWith(CONTROL_PATH_PREFIX)) return controlPlane(req, res, method, path);

    const receivedAt = Date.now();
    const raw = await readBody(req);
    let body: unknown;
    let badJson: OpenAIHttpError | undefined;
    try {
      body = parseJson(raw);
    } catch (error) {
      if (!(error instanceof OpenAIHttpError)) throw error;
      badJson = error;
    }
    // Recorded before any validation: a test investigating a 400 wants to see what was actually sent.
    log.push({ method, path, headers: req.headers, body, receivedAt });
    if (badJson) throw badJson;

    const route = findRoute(method, path);
    if (!route) throw invalidUrl(method, path);
    if (body !== undefined && !isRecord(body)) throw invalidRequest('The request body must be a JSON object.');
    const params = isRecord(body) ? body : {};

    let headerControls: FakeControls;
    try {
      headerControls = controlsFromHeaders(req.headers);
    } catch (error) {
      if (error instanceof InvalidControlError) throw invalidRequest(error.message, null, 'invalid_fake_control');
      throw error;
    }
    const model = typeof params.model === 'string' ? params.model : undefined;
    const controls = { ...state.resolve(model, route.inference), ...headerControls };

    // Never answer; the socket stays open until the client aborts or close() destroys it.
    if (controls.hang) return;

    const requestSeq = ++seq;
    res.setHeader('x-request-id', `req_fake_${requestSeq}`);
    const signal = controls.latencyMs > 0 || controls.chunkIntervalMs > 0 ? abortOnClose(res) : NEVER_ABORTED;

    if (controls.latencyMs > 0 && !(await sleep(controls.latencyMs, signal))) return;
    if (controls.status !== undefined && (controls.status < 200 || controls.status > 299)) {
      throw forcedError(controls.status, controls.errorCode, controls.retryAfter);
    }
    await route.handler({ req, res, path, body: params, controls, signal, seq: requestSeq });
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        // Mid-answer there is no way to report an error in-band; cutting the connection is the honest signal.
        res.destroy();
        return;
      }
      if (error instanceof OpenAIHttpError) {
        sendError(res, error);
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      sendError(
        res,
        new OpenAIHttpError(500, {
          message: `Fake provider bug: ${message}`,
          type: 'server_error',
          param: null,
          code: null,
        }),
      );
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must exceed keepAliveTimeout, or Node may time out a request that arrives on a connection about to idle out.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake provider: not listening on a TCP port');
  const boundPort = address.port;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl(host, boundPort),
    port: boundPort,
    get requests() {
      return log.snapshot();
    },
    setDefaults: (patch) => state.setDefaults(parseDefaultsPatch(patch)),
    enqueue: (controls) => state.enqueue(parseQueue(controls)),
    reset: () => {
      state.reset();
      log.clear();
    },
    clearRequests: () => log.clear(),
    controls: () => state.snapshot(),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // close() alone waits for in-flight requests, and a hanging request never finishes.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
