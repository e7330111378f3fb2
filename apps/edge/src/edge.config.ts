import { EnvError, makeExactValidator, makeValidator } from 'envalid';
import { ADMISSION_STREAM, SETTLEMENT_STREAM } from '@tollgate/contracts';
import {
  bool,
  commonSettings,
  opsSettings,
  loadConfig,
  nonNegativeInt,
  nonNegativeMs,
  intAtLeast,
  positiveInt,
  positiveMs,
  str,
} from '@tollgate/config';
import { NO_OVERRIDES, parseCapabilityOverrides } from './openai/capabilities/capability-overrides.js';
import { ModelCapabilities } from './openai/capabilities/model-capabilities.js';
import type { CapabilityOverrides } from './openai/capabilities/model-capability.types.js';
import { RATIO_SAMPLE_MAX } from './relay/input-token-ratios.js';

/** JSON changes to the built-in model capability table, checked in full (merge included) at start-up. */
const capabilityOverrides = makeExactValidator<CapabilityOverrides>((text) => {
  const overrides = parseCapabilityOverrides(text);
  new ModelCapabilities(overrides);
  return overrides;
});

/**
 * A ratio of held to counted input tokens: at least 1 (a hold below the
 * edge's own count is never a margin), at most the largest ratio the edge
 * learns.
 */
const holdMargin = makeValidator<number>((input: string) => {
  const value = Number(input);
  if (input.trim() === '' || !Number.isFinite(value) || value < 1 || value > RATIO_SAMPLE_MAX) {
    throw new EnvError(`must be a number from 1 to ${RATIO_SAMPLE_MAX}`);
  }
  return value;
});

/** An ISO 4217 code (three capital letters), as the console labels money with it. */
const currencyCode = makeValidator<string>((input: string) => {
  if (!/^[A-Z]{3}$/.test(input)) throw new EnvError('must be an ISO 4217 currency code of three capital letters (USD)');
  return input;
});

export const edgeSettings = {
  ...commonSettings,
  ...opsSettings('edge'),
  EDGE_HOST: str({ default: '127.0.0.1', desc: 'Address the HTTP server binds to' }),
  EDGE_PORT: intAtLeast(
    0,
    65_535,
  )({ default: 8080, desc: 'HTTP port of the OpenAI and admin API; 0 = any free port (logged as `edge listening`)' }),
  CONSOLE_DIR: str({
    default: '',
    desc: 'Folder of the built console the edge serves at /console/; empty = dist/console, where `npm run build` puts it',
  }),
  BODY_LIMIT_BYTES: positiveInt({ default: 4 * 1024 * 1024, desc: 'Largest request body accepted (413 above it)' }),
  REQUEST_LOG_CSV_MAX_ROWS: positiveInt({
    default: 100_000,
    desc:
      'Most rows one CSV export of the request log writes (GET /admin/v1/requests?format=csv); narrow the filter, ' +
      'or continue from the last row, for more',
  }),
  UPLOAD_LIMIT_BYTES: positiveInt({
    default: 26 * 1024 * 1024,
    desc:
      'Largest multipart body of the upload endpoints (audio transcriptions and translations, image edits; 413 above it): ' +
      "OpenAI's 25 MB file limit and room for the form's other fields",
  }),
  TRUSTED_PROXIES: str({
    default: '',
    desc: 'Comma-separated CIDRs whose X-Forwarded-For / X-Real-IP are believed; empty = none',
  }),
  CONSOLE_COOKIE_SECURE: str({
    default: 'auto',
    choices: ['auto', 'always', 'never'],
    desc:
      "Whether the console's session cookie is marked Secure: auto = when the request came over TLS, or a trusted " +
      'proxy (TRUSTED_PROXIES) says X-Forwarded-Proto: https; always behind a TLS proxy not listed there',
  }),
  CURRENCY: currencyCode({
    default: 'USD',
    desc: 'The currency balances and prices are kept in (an ISO 4217 code); the console shows money with it',
  }),
  PRINCIPAL_CACHE_TTL_MS: nonNegativeMs({
    default: 10_000,
    desc: 'How long the edge reuses an accepted authentication; key and user changes are broadcast and evict it at once (0 = off)',
  }),
  AUTH_FAILURES_PER_MINUTE: positiveInt({
    default: 30,
    desc:
      'Invalid keys one client address (an IPv6 one by its /64) may present per minute: a burst of this many, ' +
      'then one every minute / this; past it 429 too_many_failed_authentications with Retry-After, before any key ' +
      'from that address is looked up. Counted by each edge replica on its own',
  }),
  STORED_RESPONSE_TTL_HOURS: positiveInt({
    default: 720,
    desc:
      'How long the edge remembers which channel stored a Responses API answer (JetStream key-value bucket ' +
      '`tollgate_stored_responses`), so a follow-up naming it with previous_response_id goes there; 720 h = the 30 ' +
      'days OpenAI keeps a stored response',
  }),
  ROUTING_TABLE_REFRESH_MS: nonNegativeMs({
    default: 10_000,
    desc:
      'How often the edge asks the router for its routing table (channels and their health) although every change ' +
      'is broadcast at once: the bound on staleness should a broadcast be lost; 0 = only at start and on reconnect',
  }),
  OUTCOME_BATCH_LINGER_MS: nonNegativeMs({
    default: 5,
    desc:
      'How long the edge collects upstream outcomes before it reports them to the router in one message (0 = each ' +
      'at once). The edge applies its own outcomes to its channel health at once either way',
  }),
  SHUTDOWN_STREAM_DEADLINE_MS: positiveMs({
    default: 5_000,
    desc:
      'How long the streams being relayed may run once the edge is told to stop (SIGTERM, Ctrl-C); those still ' +
      'running then end with an in-band `gateway_stopping` error and are charged for what they delivered',
  }),
  UPSTREAM_MAX_RETRIES: nonNegativeInt({ default: 2, desc: 'Extra channels tried after a retryable upstream failure' }),
  DEFAULT_MAX_OUTPUT_TOKENS: positiveInt({
    default: 4096,
    desc: 'Output tokens held for a chat request that sets no max_tokens',
  }),
  HOLD_INPUT_MARGIN: holdMargin({
    default: 1.5,
    desc:
      'Input tokens held per token the edge counts (o200k) for a model whose upstream has not reported a count ' +
      "to this edge replica yet; after the first report, the model's learned ratio is used instead",
  }),
  MODEL_CAPABILITIES: capabilityOverrides({
    default: NO_OVERRIDES,
    desc:
      'JSON changes to the per-model limits of image and speech requests, e.g. ' +
      '{"images":{"dall-e-3":{"n_max":2},"*":{"prompt_max_chars":8000}},"speech":{"tts-1":{"input_max_chars":8192}}}; ' +
      'image fields prompt_max_chars, sizes, default_size, n_min, n_max; speech field input_max_chars; "*" = unknown models',
  }),
  SETTLEMENT_PUBLISH_ATTEMPTS: positiveInt({
    default: 5,
    desc: 'Tries to hand a settlement to JetStream before leaving the hold to expire',
  }),
  SETTLEMENT_SUBJECT: str({
    default: SETTLEMENT_STREAM.subject,
    desc: "Subject settlements are published on; must equal billing's SETTLEMENT_SUBJECT",
  }),
  GRANTS_ENABLED: bool({
    default: true,
    desc:
      'Admit the requests of a busy key from credit grants in memory (one JetStream append each) instead of a ' +
      'billing round trip per request; false = every request is reserved by billing',
  }),
  GRANT_HORIZON_MS: positiveMs({
    default: 2_000,
    desc: "How many milliseconds of a key's recent request rate the edge asks one grant to cover",
  }),
  GRANT_MIN_REQUESTS: positiveInt({ default: 16, desc: 'The fewest requests the edge asks one grant to cover' }),
  GRANT_IDLE_MS: positiveMs({
    default: 5_000,
    desc: 'A grant nothing was admitted on for this long goes back to billing; a key is asked a grant for only after two requests within it',
  }),
  ADMISSION_APPEND_TIMEOUT_MS: positiveMs({
    default: 1_000,
    desc:
      'How long a request admitted from a grant waits for JetStream to store its admission record before it falls back ' +
      "to a billing reserve; at most billing's GRANT_CLOSE_GRACE_MS",
  }),
  ADMISSION_SUBJECT: str({
    default: ADMISSION_STREAM.subject,
    desc: "Subject admission records are appended on; must equal billing's ADMISSION_SUBJECT",
  }),
};

export type EdgeConfig = ReturnType<typeof loadEdgeConfig>;
export const loadEdgeConfig = () => loadConfig('edge', edgeSettings);
