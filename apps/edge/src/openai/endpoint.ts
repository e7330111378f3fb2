import type { UpstreamEndpoint, Usage, UsageEstimate } from '@tollgate/contracts';
import type { ClientDialect, StreamTranslator } from '@tollgate/providers';
import type { EdgeConfig } from '../edge.config.js';
import type { OutboundBytes } from '../relay/relay-exchange.js';
import type { JsonObject } from './body-fields.js';

export type { JsonObject } from './body-fields.js';

/** What the edge expects a request to consume, as held (after InputTokenRatios) and charged when unreported. */
export interface RequestEstimate extends UsageEstimate {
  /**
   * Of `inputTokens`, the part held at a stated allowance because the edge
   * cannot count it (images, audio, files; relay/input-allowances.ts).
   */
  inputAllowanceTokens: number;
}

/**
 * What the relay needs to know about one OpenAI endpoint family: where it
 * lives upstream, how to check a body, what to hold for it, and how to read
 * the usage from the upstream's answer. The relay itself is the same for all.
 */
export interface EndpointSpec {
  /** Which upstream endpoint serves it: only channels whose type serves it are picked (libs/providers). */
  endpoint: UpstreamEndpoint;
  /**
   * The model OpenAI uses when the body names none (images, moderations);
   * absent = `model` is required. The gateway routes and bills by it, so it
   * is written into the outbound body.
   */
  defaultModel?: string;
  /** `stream: true` is relayed as server-sent events (chat and legacy completions). */
  streams: boolean;
  /**
   * A client dialect (Responses, Messages): `validate` checks the body in the
   * dialect's form; everything after it — `estimate`, `usageFromResponse`,
   * `endpoint` — works on the body in chat form (`ClientDialect.toChat`),
   * which is also what a channel that does not speak the dialect is sent.
   */
  dialect?: ClientDialect;
  /** Throws a DenialException for the endpoint's documented 400s. */
  validate(body: JsonObject): void;
  /**
   * After `validate`, what must be read asynchronously from an upload's
   * file (an audio file's duration), refusing a file it cannot use.
   */
  inspect?(body: JsonObject): Promise<void>;
  /**
   * The upload endpoints: the body is a form (its text fields are `body`),
   * sent upstream as this says; absent = JSON (OutboundBody).
   */
  outbound?(body: JsonObject): OutboundBytes;
  /**
   * A native stream of another shape than chat chunks (transcript events):
   * read as chat chunks for accounting only, the bytes passing as they came.
   */
  streamTap?(): StreamTranslator;
  /** Input tokens as counted, before the per-model ratio; what the edge bills when the upstream reports none. */
  estimate(body: JsonObject, config: EdgeConfig): RequestEstimate;
  /**
   * Usage from a JSON response body (null when the answer was not JSON, e.g.
   * speech audio); what the upstream did not report is counted or estimated.
   */
  usageFromResponse(json: JsonObject | null, body: JsonObject, estimate: UsageEstimate): Usage;
}

/** A non-negative whole number at `json[path[0]][path[1]]…`, or null. */
export function numberField(json: JsonObject | null, path: readonly string[]): number | null {
  let value: unknown = json;
  for (const key of path) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    value = (value as JsonObject)[key];
  }
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}
