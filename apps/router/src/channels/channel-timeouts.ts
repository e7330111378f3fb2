import type { ChannelTimeouts } from '@tollgate/contracts';
import type { RouterConfig } from '../router.config.js';

export function timeoutDefaults(
  config: Pick<
    RouterConfig,
    'CHANNEL_CONNECT_TIMEOUT_MS' | 'CHANNEL_FIRST_BYTE_TIMEOUT_MS' | 'CHANNEL_IDLE_TIMEOUT_MS'
  >,
): ChannelTimeouts {
  return {
    connectMs: config.CHANNEL_CONNECT_TIMEOUT_MS,
    firstByteMs: config.CHANNEL_FIRST_BYTE_TIMEOUT_MS,
    idleMs: config.CHANNEL_IDLE_TIMEOUT_MS,
  };
}

export function effectiveTimeouts(
  row: { connectTimeoutMs: number | null; firstByteTimeoutMs: number | null; idleTimeoutMs: number | null },
  defaults: ChannelTimeouts,
): ChannelTimeouts {
  return {
    connectMs: row.connectTimeoutMs ?? defaults.connectMs,
    firstByteMs: row.firstByteTimeoutMs ?? defaults.firstByteMs,
    idleMs: row.idleTimeoutMs ?? defaults.idleMs,
  };
}
