import type { Settlement, Usage } from '@tollgate/contracts';
import { isCount, isRecord, isUuid } from '../request-checks.js';

/** What one message on the settlement stream holds. */
export interface SettlementMessage {
  settlements: Settlement[];
  /** Entries of a batch that are not settlements, with why (logged and skipped; the rest still applies). */
  rejected: string[];
}

/**
 * Reads a message off the stream: a SettlementBatch (what edges publish) or
 * a single settlement object (accepted as well). A message with nothing that
 * is a settlement is an error: the caller terminates it.
 */
export function parseSettlementMessage(value: unknown): SettlementMessage | { error: string } {
  if (isRecord(value) && Array.isArray(value.settlements)) {
    const settlements: Settlement[] = [];
    const rejected: string[] = [];
    for (const [index, entry] of (value.settlements as unknown[]).entries()) {
      const parsed = parseSettlement(entry);
      if ('error' in parsed) rejected.push(`settlements[${index}]: ${parsed.error}`);
      else settlements.push(parsed);
    }
    if (settlements.length === 0) return { error: rejected[0] ?? 'settlements is empty' };
    return { settlements, rejected };
  }
  const single = parseSettlement(value);
  return 'error' in single ? single : { settlements: [single], rejected: [] };
}

/**
 * Reads a settlement off the stream. A message that is not a settlement can
 * never become one by redelivery: the caller terminates it (and logs it)
 * instead of retrying forever.
 */
export function parseSettlement(value: unknown): Settlement | { error: string } {
  if (!isRecord(value)) return { error: 'not an object' };
  const { holdId, tid, userId, keyId, model, channelId, succeeded, usage, httpStatus, latencyMs, stream } = value;
  if (!isUuid(holdId)) return { error: 'holdId must be a uuid' };
  if (tid !== null && tid !== undefined && (typeof tid !== 'string' || tid.length > 64)) return { error: 'bad tid' };
  if (typeof userId !== 'string' || typeof keyId !== 'string') return { error: 'userId and keyId are required' };
  if (typeof model !== 'string') return { error: 'model is required' };
  if (channelId !== null && channelId !== undefined && !(Number.isSafeInteger(channelId) && isCount(channelId))) {
    return { error: 'channelId must be an integer or null' };
  }
  if (typeof succeeded !== 'boolean') return { error: 'succeeded must be a boolean' };
  const parsedUsage = parseUsage(usage);
  if (!parsedUsage) return { error: 'usage must hold non-negative integer counts' };
  if (!Number.isSafeInteger(httpStatus) || typeof httpStatus !== 'number' || httpStatus < 0 || httpStatus > 999) {
    return { error: 'httpStatus must be an HTTP status (0 when there was no response)' };
  }
  if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0) return { error: 'bad latencyMs' };
  return {
    holdId,
    tid: typeof tid === 'string' ? tid : '',
    userId,
    keyId,
    model,
    channelId: typeof channelId === 'number' ? channelId : null,
    succeeded,
    usage: parsedUsage,
    httpStatus,
    // The column is whole milliseconds, clamped to what an integer column holds.
    latencyMs: Math.min(Math.round(latencyMs), 2_147_483_647),
    stream: stream === true,
  };
}

const MAX_COUNT = 2_147_483_647;

function parseUsage(value: unknown): Usage | null {
  if (!isRecord(value)) return null;
  const counts = [value['inputTokens'], value['outputTokens'], value['images'] ?? 0, value['characters'] ?? 0];
  if (!counts.every((count) => isCount(count) && count <= MAX_COUNT)) return null;
  const [inputTokens, outputTokens, images, characters] = counts as [number, number, number, number];
  return { inputTokens, outputTokens, images, characters };
}
