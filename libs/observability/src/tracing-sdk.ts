import { randomBytes } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { TraceContext } from './trace-context.js';

/** A root span's trace id is the tid of the request it belongs to, when there is one. */
class TidIdGenerator implements IdGenerator {
  generateTraceId(): string {
    return TraceContext.tid() ?? randomBytes(16).toString('hex');
  }

  generateSpanId(): string {
    return randomBytes(8).toString('hex');
  }
}

/**
 * The OpenTelemetry SDK, set up as the process's global tracer provider,
 * context manager and propagator; imported by startTracing only when an
 * endpoint is configured.
 */
export function installTracing(serviceName: string): BasicTracerProvider {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    idGenerator: new TidIdGenerator(),
    // The exporter reads its endpoint, headers and timeout from the standard OTEL_EXPORTER_OTLP_* variables,
    // the batch processor its delay and sizes from OTEL_BSP_*.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false })],
  });
  return provider;
}
