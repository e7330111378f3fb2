/**
 * The fake upstream: a plain `node:http` server with keep-alive, used by unit and e2e tests, by the benchmark
 * (as the baseline the gateway is compared against) and by users for their own load tests. One instance
 * speaks four dialects at once — OpenAI, Azure OpenAI, Anthropic and Gemini (see dialect.ts) — so channels
 * of every type can point at the same fake.
 *
 * Request flow: pick the dialect from path and headers → read + record the request → the dialect's 404 for
 * unknown paths → its admission (key, version) → resolve controls (see control-state.ts for precedence) →
 * hang / wait / fail as the controls say → answer through the endpoint's handler. Every error is written in
 * the request's dialect.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { carriesAnthropicHeaders, createAnthropicDialect, ANTHROPIC_MESSAGES_PATH } from './anthropic-dialect.js';
import { DEFAULT_ANTHROPIC_MODELS } from './anthropic-models.handler.js';
import { AZURE_PATH_PREFIX, createAzureDialect } from './azure-dialect.js';
import { controlsFromHeaders } from './control-headers.js';
import { CONTROL_PATH_PREFIX, createControlPlane } from './control-plane.handler.js';
import {
  ControlState,
  parseDefaultsPatch,
  parseQueue,
  type FakeControlSnapshot,
  type FakeDefaultsPatch,
} from './control-state.js';
import type { Dialect, IncomingCall } from './dialect.js';
import { CONTROL_NAMES, InvalidControlError, type FakeControls } from './fake-controls.js';
import { FakeHttpError, UnreadableBodyError } from './fake-http-error.js';
import { createGeminiDialect, isGeminiPath } from './gemini-dialect.js';
import { DEFAULT_GEMINI_MODELS } from './gemini-models.handler.js';
import { parseJson, readBody, sendError, sleep } from './http-io.js';
import { isMultipart, loggedForm, readForm, type FakeForm } from './multipart-body.js';
import { isRecord } from './json-guards.js';
import { DEFAULT_FAKE_MODELS } from './models.handler.js';
import { createOpenAIDialect } from './openai-dialect.js';
import { RequestLog, type RecordedRequest } from './request-log.js';
import { ResponsesStore } from './responses-store.js';

export interface FakeProviderOptions extends FakeControls {
  /** TCP port; 0 (the default) picks a free one — what tests should use. */
  port?: number;
  /** Interface to bind; loopback by default so a test run never exposes a server on the network. */
  host?: string;
  /** Per-model default controls, keyed by the request's model (the body's `model`, Gemini's URL model, Azure's deployment model). */
  byModel?: Record<string, FakeControls>;
  /** How many recent requests `requests` keeps (default 1000; 0 disables recording). */
  maxRecordedRequests?: number;
  /** Ids listed by OpenAI's `GET /v1/models`. */
  models?: readonly string[];
  /** Ids listed by Anthropic's `GET /v1/models`. */
  anthropicModels?: readonly string[];
  /** Ids listed by Gemini's `GET /v1beta/models` (as `models/<id>`). */
  geminiModels?: readonly string[];
  /**
   * Azure deployment → the model it serves (what answers report as `model`). Without it every deployment
   * exists and serves the model of its own name; with it, other deployments are a 404 DeploymentNotFound.
   */
  azureDeployments?: Readonly<Record<string, string>>;
  /**
   * The only keys accepted, in every dialect (each answers a wrong one its own way). Without it any non-empty
   * key is accepted, and OpenAI requests need none at all.
   */
  apiKeys?: readonly string[];
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
  /** Back to the start options; empties the queue, the request log and the stored responses. */
  reset(): void;
  clearRequests(): void;
  /** The current defaults, per-model controls and queue. */
  controls(): FakeControlSnapshot;
  /** Stops listening and destroys every connection, hanging and streaming ones included. Idempotent. */
  close(): Promise<void>;
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

/** Handlers only read it; sharing one spares the common query-less request an allocation. */
const NO_QUERY = new URLSearchParams();

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const q = url.indexOf('?');
  return q === -1
    ? { path: url, query: NO_QUERY }
    : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

function queryRecord(query: URLSearchParams): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of query) if (!(name in record)) record[name] = value;
  return record;
}

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
  const apiKeys = options.apiKeys === undefined ? undefined : new Set(options.apiKeys);
  const openAIModels = options.models ?? DEFAULT_FAKE_MODELS;
  // One store for both: the fake is one upstream account whatever the dialect it is reached by.
  const responses = new ResponsesStore();
  const openai = createOpenAIDialect(openAIModels, responses);
  const azure = createAzureDialect(options.azureDeployments, openAIModels, responses);
  const anthropic = createAnthropicDialect(options.anthropicModels ?? DEFAULT_ANTHROPIC_MODELS);
  const gemini = createGeminiDialect(options.geminiModels ?? DEFAULT_GEMINI_MODELS);
  let seq = 0;

  /** Paths decide where they can; `/v1/models` is shared by OpenAI and Anthropic, whose headers tell them apart. */
  const dialectOf = (call: IncomingCall): Dialect => {
    const { path } = call;
    if (path.startsWith(AZURE_PATH_PREFIX)) return azure;
    if (isGeminiPath(path)) return gemini;
    if (path === ANTHROPIC_MESSAGES_PATH || path.startsWith(`${ANTHROPIC_MESSAGES_PATH}/`)) return anthropic;
    return carriesAnthropicHeaders(call) ? anthropic : openai;
  };

  async function serve(req: IncomingMessage, res: ServerResponse, call: IncomingCall, dialect: Dialect): Promise<void> {
    const { method, path, query } = call;
    const receivedAt = Date.now();
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      if (error instanceof UnreadableBodyError) throw dialect.errors.unreadableBody(error.reason);
      throw error;
    }
    let body: unknown;
    let badJson = false;
    let form: FakeForm | null = null;
    const contentType = req.headers['content-type'];
    try {
      if (isMultipart(contentType)) form = await readForm(raw, contentType ?? '');
      body = form ? form.fields : parseJson(raw);
    } catch (error) {
      // A form undici cannot read is as unreadable as bad JSON.
      if (!(error instanceof UnreadableBodyError) && !form && !isMultipart(contentType)) throw error;
      badJson = true;
    }
    const auth = dialect.credential(call);
    // Recorded before any validation: a test investigating a 400 wants to see what was actually sent.
    log.push({
      method,
      path,
      query: query === NO_QUERY ? {} : queryRecord(query),
      dialect: dialect.name,
      auth: auth ?? null,
      headers: req.headers,
      body: form ? loggedForm(form) : body,
      receivedAt,
    });

    const route = dialect.route(call);
    if (!route) throw dialect.errors.notFound(method, path);
    dialect.admit(call, auth, apiKeys);
    if (badJson) throw dialect.errors.unreadableBody('invalid_json');
    if (body !== undefined && !isRecord(body))
      throw dialect.errors.invalidRequest('The request body must be a JSON object.');
    const params = isRecord(body) ? body : {};

    let headerControls: FakeControls;
    try {
      headerControls = controlsFromHeaders(req.headers);
    } catch (error) {
      if (error instanceof InvalidControlError) throw dialect.errors.invalidControl(error.message);
      throw error;
    }
    const model = route.model ?? (typeof params.model === 'string' ? params.model : undefined);
    const controls = { ...state.resolve(model, route.inference), ...headerControls };

    // Never answer; the socket stays open until the client aborts or close() destroys it.
    if (controls.hang) return;

    const requestSeq = ++seq;
    res.setHeader('x-request-id', `req_fake_${requestSeq}`);
    const signal = controls.latencyMs > 0 || controls.chunkIntervalMs > 0 ? abortOnClose(res) : NEVER_ABORTED;

    if (controls.latencyMs > 0 && !(await sleep(controls.latencyMs, signal))) return;
    if (controls.status !== undefined && (controls.status < 200 || controls.status > 299)) {
      throw dialect.errors.forced(controls.status, controls.errorCode, controls.retryAfter);
    }
    await route.handler({
      req,
      res,
      path,
      query,
      body: params,
      ...(form ? { files: form.files } : {}),
      controls,
      signal,
      seq: requestSeq,
    });
  }

  const fail = (res: ServerResponse, dialect: Dialect, error: unknown): void => {
    if (res.headersSent) {
      // Mid-answer there is no way to report an error in-band; cutting the connection is the honest signal.
      res.destroy();
      return;
    }
    if (error instanceof FakeHttpError) {
      sendError(res, error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    sendError(res, dialect.errors.internal(`Fake provider bug: ${message}`));
  };

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const { path, query } = splitUrl(req.url ?? '/');
    if (path.startsWith(CONTROL_PATH_PREFIX)) {
      controlPlane(req, res, method, path).catch((error: unknown) => fail(res, openai, error));
      return;
    }
    const call: IncomingCall = { method, path, query, headers: req.headers };
    const dialect = dialectOf(call);
    serve(req, res, call, dialect).catch((error: unknown) => fail(res, dialect, error));
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
      responses.clear();
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
