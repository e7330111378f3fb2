import { TraceContext } from '@tollgate/observability';

export interface MicroBatcherOptions<I, O> {
  /** Most items one batch carries. */
  maxBatchSize: number;
  /** Batches running at the same time; further items wait and join the next batch. */
  maxConcurrentBatches: number;
  /**
   * How long a batch that is not full waits for more items before it runs
   * (default 0: it runs as soon as a slot is free). For work nobody waits on,
   * where fewer, fuller batches matter more than a few milliseconds.
   */
  lingerMs?: number;
  /** Runs one batch; returns one result per item, in the items' order. */
  run(items: I[]): Promise<O[]>;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Groups concurrent calls into batches without ever waiting to fill one: a
 * call that finds a free slot runs at once (alone, at low load), and the
 * calls that arrive while every slot is busy run together as soon as one is
 * free. The batch size follows the load, and no call waits for a timer —
 * unless `lingerMs` asks for it, for work nobody waits on.
 *
 * A failed batch is retried item by item, so an item that makes its batch
 * fail (a duplicate key, say) fails alone and the others still go through.
 * `run` must therefore be all-or-nothing per batch, as a database transaction is.
 */
export class MicroBatcher<I, O> {
  private readonly queue: Array<Pending<I, O>> = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];
  private lingerTimer?: NodeJS.Timeout;
  /** Set by idle() until it resolves: nothing lingers while someone waits for the batcher to empty. */
  private draining = false;
  /** Batches run, items carried and batches that failed whole (then retried item by item), since start. */
  readonly stats = { batches: 0, items: 0, failedBatches: 0 };

  constructor(private readonly options: MicroBatcherOptions<I, O>) {
    if (options.maxBatchSize < 1 || options.maxConcurrentBatches < 1) {
      throw new Error('MicroBatcher needs room for at least one item and one batch');
    }
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.startBatches();
    });
  }

  /** Items waiting for a free slot (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Runs what is lingering now, and resolves once nothing is waiting or running (for a graceful shutdown). */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.draining = true;
    this.startBatches();
    return idle;
  }

  private startBatches(lingerOver = false): void {
    const lingerMs = this.draining ? 0 : (this.options.lingerMs ?? 0);
    while (this.running < this.options.maxConcurrentBatches && this.queue.length > 0) {
      if (lingerMs > 0 && !lingerOver && this.queue.length < this.options.maxBatchSize) {
        this.lingerTimer ??= setTimeout(() => {
          this.lingerTimer = undefined;
          this.startBatches(true);
        }, lingerMs);
        break;
      }
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
      const batch = this.queue.splice(0, this.options.maxBatchSize);
      this.running++;
      void this.runBatch(batch).finally(() => {
        this.running--;
        this.startBatches();
      });
    }
    if (this.running === 0 && this.queue.length === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      this.draining = false;
      for (const resolve of waiters) resolve();
    }
  }

  private async runBatch(batch: Array<Pending<I, O>>): Promise<void> {
    let results: O[];
    this.stats.batches++;
    this.stats.items += batch.length;
    try {
      // A batch serves many requests: it runs under none of their tids (each item carries its own).
      results = await TraceContext.outside(() => this.options.run(batch.map((pending) => pending.item)));
      if (results.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} returned ${results.length} results`);
      }
    } catch (error) {
      this.stats.failedBatches++;
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => this.runBatch([pending])));
      return;
    }
    batch.forEach((pending, index) => pending.resolve(results[index]));
  }
}
