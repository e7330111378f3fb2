/**
 * Per-request controls carried in `x-fake-*` headers. They are the most convenient way for a test that talks
 * to the fake directly, but a gateway in between may not forward them — hence the other control channels
 * (per-model defaults, the one-shot queue, the `/__control` endpoints).
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  BOOLEAN_CONTROLS,
  checkNumericControl,
  InvalidControlError,
  NUMERIC_CONTROLS,
  STRING_CONTROLS,
  type FakeControls,
} from './fake-controls.js';

/** Header name of every control; lower-case because Node lower-cases incoming header names. */
export const CONTROL_HEADERS: Readonly<Record<keyof FakeControls, string>> = {
  latencyMs: 'x-fake-latency-ms',
  status: 'x-fake-status',
  retryAfter: 'x-fake-retry-after',
  errorCode: 'x-fake-error-code',
  chunks: 'x-fake-chunks',
  chunkIntervalMs: 'x-fake-chunk-interval-ms',
  dropAfterChunks: 'x-fake-drop-after-chunks',
  hang: 'x-fake-hang',
  completionTokens: 'x-fake-completion-tokens',
  omitUsage: 'x-fake-omit-usage',
  cachedTokens: 'x-fake-cached-tokens',
  cacheWriteTokens: 'x-fake-cache-write-tokens',
  reasoningTokens: 'x-fake-reasoning-tokens',
  inputTokenFactor: 'x-fake-input-token-factor',
  ignoreTools: 'x-fake-ignore-tools',
  streamErrorAfterChunks: 'x-fake-stream-error-after-chunks',
};

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  // Node joins repeated custom headers with ", "; a repeated control is ambiguous, so the first one wins.
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the `x-fake-*` headers; throws InvalidControlError (→ 400) on a value that does not parse. */
export function controlsFromHeaders(headers: IncomingHttpHeaders): FakeControls {
  const controls: FakeControls = {};
  for (const name of NUMERIC_CONTROLS) {
    const raw = headerValue(headers, CONTROL_HEADERS[name]);
    if (raw === undefined) continue;
    // Number('') is 0, which would turn an empty header into a real value; treat it as garbage instead.
    const parsed = raw.trim() === '' ? Number.NaN : Number(raw);
    controls[name] = checkNumericControl(name, parsed, `header ${CONTROL_HEADERS[name]} ("${raw}")`);
  }
  for (const name of BOOLEAN_CONTROLS) {
    const raw = headerValue(headers, CONTROL_HEADERS[name]);
    if (raw === undefined) continue;
    const normalized = raw.trim().toLowerCase();
    if (normalized === 'true' || normalized === '1') controls[name] = true;
    else if (normalized === 'false' || normalized === '0') controls[name] = false;
    else throw new InvalidControlError(`header ${CONTROL_HEADERS[name]} must be true/false/1/0, got "${raw}"`);
  }
  for (const name of STRING_CONTROLS) {
    const raw = headerValue(headers, CONTROL_HEADERS[name])?.trim();
    if (raw) controls[name] = raw;
  }
  return controls;
}
