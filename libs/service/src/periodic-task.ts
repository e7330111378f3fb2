/**
 * A job run every `intervalMs` in the background (sweepers, re-tests). A slow
 * run is never overlapped by the next tick, a failure is reported and the
 * job tried again next time, and `stop()` waits for a run in progress, so a
 * service shuts down without cutting one off half-way.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .then(() => undefined, this.onError)
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    // A background job alone never keeps the process alive.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
