import type { Usage, UsageEstimate } from '@tollgate/contracts';
import { DenialException, DenialReason } from '@tollgate/errors';
import type { EdgeConfig } from '../edge.config.js';

export type JsonObject = Record<string, unknown>;

/**
 * What the relay needs to know about one OpenAI endpoint family: where it
 * lives upstream, how to check a body, what to hold for it, and how to read
 * the usage from the upstream's answer. The relay itself is the same for all.
 */
export interface EndpointSpec {
  /** Path under a channel's base URL (which ends in /v1). */
  upstreamPath: string;
  /** Throws a DenialException for the endpoint's documented 400s. */
  validate(body: JsonObject): void;
  estimate(body: JsonObject, config: EdgeConfig): UsageEstimate;
  /** Usage from a JSON response body; null when the upstream did not report it. */
  usageFromResponse(json: JsonObject | null, body: JsonObject, estimate: UsageEstimate): Usage;
}

export const invalid = (param: string, detail: string): DenialException =>
  new DenialException(DenialReason.InvalidRequest, { param, detail });

export function requirePositiveInteger(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(field, `${field} must be a positive integer`);
  }
  return value;
}

export function numberField(json: JsonObject | null, path: [string, string]): number | null {
  const outer = json?.[path[0]];
  if (!outer || typeof outer !== 'object') return null;
  const value = (outer as JsonObject)[path[1]];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}
