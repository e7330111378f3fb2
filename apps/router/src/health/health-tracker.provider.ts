import type { FactoryProvider } from '@nestjs/common';
import { ROUTER_CONFIG, type RouterConfig } from '../router.config.js';
import { CLOCK, HEALTH_TRACKER } from '../tokens.js';
import { type Clock, COOLDOWN_BASE_MS, RECENT_ERRORS_KEPT, HealthTracker } from '@tollgate/routing';

export const healthTrackerProvider: FactoryProvider<HealthTracker> = {
  provide: HEALTH_TRACKER,
  inject: [ROUTER_CONFIG, CLOCK],
  useFactory: (config: RouterConfig, clock: Clock) =>
    new HealthTracker(
      {
        cooldownBaseMs: COOLDOWN_BASE_MS,
        cooldownMaxMs: config.COOLDOWN_MAX_MS,
        breakerFailureThreshold: config.BREAKER_FAILURE_THRESHOLD,
        breakerOpenMs: config.BREAKER_OPEN_MS,
        recentErrorsKept: RECENT_ERRORS_KEPT,
      },
      clock,
    ),
};
