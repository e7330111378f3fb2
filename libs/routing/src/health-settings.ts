export interface HealthSettings {
  /** The first back-off after a 429 without Retry-After; doubles per consecutive 429. */
  cooldownBaseMs: number;
  cooldownMaxMs: number;
  breakerFailureThreshold: number;
  breakerOpenMs: number;
  /** How many recent errors each channel keeps for the health view. */
  recentErrorsKept: number;
}

export const COOLDOWN_BASE_MS = 1000;
export const RECENT_ERRORS_KEPT = 10;
