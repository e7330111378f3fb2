import { bool, commonSettings, loadConfig, num, port, str } from '@tollgate/config';

export const edgeSettings = {
  ...commonSettings,
  EDGE_HOST: str({ default: '127.0.0.1', desc: 'Address the HTTP server binds to' }),
  EDGE_PORT: port({ default: 8080 }),
  BODY_LIMIT_BYTES: num({ default: 4 * 1024 * 1024, desc: 'Largest request body accepted (413 above it)' }),
  TRUSTED_PROXIES: str({
    default: '',
    desc: 'Comma-separated CIDRs whose X-Forwarded-For / X-Real-IP are believed; empty = none',
  }),
  UPSTREAM_MAX_RETRIES: num({ default: 2, desc: 'Extra channels tried after a retryable upstream failure' }),
  DEFAULT_MAX_OUTPUT_TOKENS: num({
    default: 4096,
    desc: 'Output tokens held for a request that sets no max_tokens',
  }),
  SETTLEMENT_PUBLISH_ATTEMPTS: num({ default: 5 }),
  METRICS_ENABLED: bool({ default: true }),
};

export type EdgeConfig = ReturnType<typeof loadEdgeConfig>;
export const loadEdgeConfig = () => loadConfig('edge', edgeSettings);
