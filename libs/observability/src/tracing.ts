import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * OpenTelemetry traces, on when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set and off otherwise. Off is free:
 * every helper below checks `tracing.enabled` first and then does nothing —
 * no span objects, no context switches, no headers — so the hot path pays
 * one boolean test.
 *
 * The trace id is the tid. The edge's request span is the root of a trace
 * (or the child of the client's `traceparent`, whose trace id the tid is
 * then taken from: tidFromTraceparent); a root span's trace id comes from
 * TidIdGenerator, which reads the tid of the request being handled. The W3C
 * `traceparent` travels in NATS headers next to `tid` (NatsBus), and each
 * service's handler span continues it (createNatsServer, runLogged).
 * PostgreSQL queries are spans from @opentelemetry/instrumentation-pg
 * (only under a handler's span: requireParentSpan); the upstream call is a
 * span of UpstreamHttp's own, because instrumentation-undici would also put
 * our `traceparent` on every call to a provider, which is not ours to send.
 */
/** The OpenTelemetry SDK's own variables this product documents (README, .env.example); the SDK reads them. */
export const OPENTELEMETRY_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_SERVICE_NAME',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_SDK_DISABLED',
] as const;

export const tracing = {
  enabled: false,
  /** The SDK's tracer provider, once started: what stopTracing flushes. */
  provider: undefined as { shutdown(): Promise<void> } | undefined,
};

const tracer = trace.getTracer('tollgate');

/**
 * Starts tracing for this process if an OTLP endpoint is configured. Call
 * first in main, before the database is opened: the PostgreSQL
 * instrumentation patches `pg` when TypeORM loads it. The SDK is imported
 * only then (tracing-sdk.ts): loaded, it costs every process about 11 MB.
 */
export async function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (tracing.enabled) return true;
  const variable = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
    ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
    : env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? 'OTEL_EXPORTER_OTLP_ENDPOINT'
      : undefined;
  if (!variable || env.OTEL_SDK_DISABLED === 'true') return false;
  // The exporter would only log a bad URL at the first export; a start-up error names the variable.
  const endpoint = env[variable] ?? '';
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw new Error(`${variable} must be an http(s) URL of an OTLP receiver, got "${endpoint}"`);
  }
  const { installTracing } = await import('./tracing-sdk.js');
  tracing.provider = installTracing(env.OTEL_SERVICE_NAME || `tollgate-${service}`);
  tracing.enabled = true;
  return true;
}

/** Sends the spans still buffered; at shutdown, after the last request. */
export async function stopTracing(): Promise<void> {
  await tracing.provider?.shutdown();
}

const headerGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** The parts of NATS's MsgHdrs the propagator needs; a structural type, so this lib need not depend on NATS. */
export interface HeaderMap {
  get(key: string): string;
  set(key: string, value: string): void;
  has(key: string): boolean;
  keys(): string[];
}

const natsGetter: TextMapGetter<HeaderMap> = {
  keys: (carrier) => carrier.keys(),
  get: (carrier, key) => (carrier.has(key) ? carrier.get(key) : undefined),
};

const natsSetter: TextMapSetter<HeaderMap> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

/**
 * Starts the edge's span for one HTTP request, continuing the client's
 * `traceparent` when it sent a valid one, and runs `next` inside it. The
 * caller ends the span (when the response is done) with endSpan.
 */
export function runInServerSpan(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
  next: (span: Span) => void,
): void {
  const parent = propagation.extract(ROOT_CONTEXT, headers, headerGetter);
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  context.with(trace.setSpan(parent, span), next, undefined, span);
}

/** Runs fn in the trace context a message's headers carry (a handler continues its sender's trace). */
export function runInMessageContext<T>(headers: HeaderMap | undefined, fn: () => T): T {
  if (!tracing.enabled || !headers) return fn();
  return context.with(propagation.extract(ROOT_CONTEXT, headers, natsGetter), fn);
}

/** Adds the current span's `traceparent` to a message's headers. */
export function injectTraceparent(headers: HeaderMap): void {
  if (tracing.enabled) propagation.inject(context.active(), headers, natsSetter);
}

/** The current span's `traceparent`, to carry in a message's body when it travels in a batch (outcomes, settlements). */
export function currentTraceparent(): string | undefined {
  if (!tracing.enabled) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Runs fn in the trace context a `traceparent` names (an item of a batch continues its own request's trace). */
export function runInTraceparent<T>(traceparent: string | undefined, fn: () => T): T {
  if (!tracing.enabled || !traceparent) return fn();
  return context.with(propagation.extract(ROOT_CONTEXT, { traceparent }, headerGetter), fn);
}

/** Runs fn outside any trace: work done for many requests at once (a batch), which no one trace owns. */
export function outsideTrace<T>(fn: () => T): T {
  return tracing.enabled ? context.with(ROOT_CONTEXT, fn) : fn();
}

/**
 * A span around fn, which may be synchronous or return a promise: ended when
 * it returns or settles, marked as an error when it throws or rejects. When
 * tracing is off, fn runs as it is.
 */
export function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, fn: (span?: Span) => T): T {
  if (!tracing.enabled) return fn();
  return tracer.startActiveSpan(name, { kind, attributes }, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    if (result instanceof Promise) {
      return result.then(
        (value: unknown) => {
          endSpan(span);
          return value;
        },
        (error: unknown) => {
          endSpan(span, error);
          throw error;
        },
      ) as T;
    }
    endSpan(span);
    return result;
  });
}

/** Starts a span that the caller ends (a call whose body is read later), or nothing when tracing is off. */
export function startSpan(name: string, kind: SpanKind, attributes: Attributes): Span | undefined {
  return tracing.enabled ? tracer.startSpan(name, { kind, attributes }) : undefined;
}

/** Ends a span; with an error (or an error message), its status says so. */
export function endSpan(span: Span | undefined, error?: unknown): void {
  if (!span) return;
  if (error !== undefined) {
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : typeof error === 'string' ? error : 'failed',
    });
  }
  span.end();
}

export { SpanKind, type Span };
