export interface EventuallyOptions {
  /** How long the probe may keep failing; it runs once more at the deadline. */
  timeoutMs?: number;
  /** Pause between two attempts. */
  intervalMs?: number;
}

/**
 * Runs `probe` until it returns without throwing, and returns what it
 * returned; at the deadline, fails with the probe's last error. A test waits
 * for what it needs to see (an `expect` inside the probe, so the failure
 * shows the value last seen), never for a fixed time that is too long on a
 * quiet machine and too short on a busy one.
 */
export async function eventually<T>(
  probe: () => T | Promise<T>,
  { timeoutMs = 5000, intervalMs = 50 }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`still failing after ${timeoutMs} ms: ${reason}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, left)));
    }
  }
}
