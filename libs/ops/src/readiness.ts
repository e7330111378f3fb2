/** One dependency a process needs to do its work: NATS, PostgreSQL, a peer service. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check(): Promise<unknown>;
}

export interface DependencyState {
  ok: boolean;
  ms: number;
  /** Why it is not ok: the error's name and message (never a payload). */
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** `stopping` once the process has begun to shut down: it takes no new work. */
  status: 'ready' | 'not_ready' | 'stopping';
  dependencies: Record<string, DependencyState>;
}

export interface ReadinessOptions {
  /** How long a check may take before it counts as down. */
  checkTimeoutMs: number;
  /**
   * How long one report answers every probe: kubelets, load balancers and
   * people all probe, and a storm of probes must not become a storm of
   * database queries and NATS pings.
   */
  cacheMs: number;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * Whether this process can do its work now: every dependency answered within
 * its timeout. Checks run in parallel; concurrent callers share one run, and
 * its report for `cacheMs`.
 */
export class Readiness {
  private cached?: { at: number; report: Promise<ReadinessReport> };
  private isStopping = false;

  constructor(
    private readonly checks: readonly ReadinessCheck[],
    private readonly options: ReadinessOptions,
  ) {}

  /** From now on the process reports `stopping` (503): it is shutting down and takes no new work. */
  stopping(): void {
    this.isStopping = true;
  }

  report(now: number = performance.now()): Promise<ReadinessReport> {
    if (this.isStopping) return Promise.resolve({ ready: false, status: 'stopping', dependencies: {} });
    if (this.cached && now - this.cached.at < this.options.cacheMs) return this.cached.report;
    const report = this.run();
    this.cached = { at: now, report };
    return report;
  }

  private async run(): Promise<ReadinessReport> {
    const states = await Promise.all(this.checks.map((check) => this.probe(check)));
    const dependencies: Record<string, DependencyState> = Object.fromEntries(
      this.checks.map((check, index) => [check.name, states[index]]),
    );
    const ready = states.every((state) => state.ok);
    return { ready, status: ready ? 'ready' : 'not_ready', dependencies };
  }

  private async probe(check: ReadinessCheck): Promise<DependencyState> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.options.checkTimeoutMs} ms`)),
        this.options.checkTimeoutMs,
      );
    });
    try {
      await Promise.race([check.check(), timeout]);
      return { ok: true, ms: round(performance.now() - started) };
    } catch (error) {
      const error_ = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { ok: false, ms: round(performance.now() - started), error: error_ };
    } finally {
      clearTimeout(timer);
    }
  }
}
