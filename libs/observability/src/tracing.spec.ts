import { describe, expect, it } from '@jest/globals';
import { currentTraceparent, inSpan, runInTraceparent, SpanKind, startSpan, startTracing, tracing } from './tracing.js';

// What runs in every process that is not given an OTLP endpoint: nothing at all. (Tracing on is
// tested end to end, against a real receiver: test/traces.e2e.spec.ts.)
describe('tracing, off', () => {
  it('stays off without an OTLP endpoint, or with OTEL_SDK_DISABLED', async () => {
    await expect(startTracing('edge', {})).resolves.toBe(false);
    await expect(
      startTracing('edge', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' }),
    ).resolves.toBe(false);
    expect(tracing.enabled).toBe(false);
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://127.0.0.1:4317'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'not a url'],
  ])('refuses %s=%p at start-up, naming the variable', async (variable, value) => {
    await expect(startTracing('edge', { [variable]: value })).rejects.toThrow(
      `${variable} must be an http(s) URL of an OTLP receiver, got "${value}"`,
    );
    expect(tracing.enabled).toBe(false);
  });

  it('runs what it wraps as it is: same value, same exception, no span, no traceparent', async () => {
    expect(inSpan('sync', SpanKind.SERVER, {}, (span) => (span === undefined ? 'ran' : 'span'))).toBe('ran');
    await expect(inSpan('async', SpanKind.SERVER, {}, () => Promise.resolve(7))).resolves.toBe(7);
    expect(() =>
      inSpan('throws', SpanKind.SERVER, {}, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(startSpan('call', SpanKind.CLIENT, {})).toBeUndefined();
    expect(currentTraceparent()).toBeUndefined();
    expect(runInTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', () => 'ran')).toBe('ran');
  });
});
