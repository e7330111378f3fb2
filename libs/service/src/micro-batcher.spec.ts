import { describe, expect, it, jest } from '@jest/globals';
import { MicroBatcher } from './micro-batcher.js';

/** A batch run that waits until the test lets it finish, recording every batch it was given. */
function controlledRun(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const run = async (items: number[]): Promise<string[]> => {
    batches.push(items);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (items.some(fail)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((item) => `done ${item}`);
  };
  /** Lets the oldest unfinished batch complete, then lets the batcher start the next. */
  const finishNext = async (): Promise<void> => {
    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, run, finishNext };
}

describe(MicroBatcher.name, () => {
  it('runs a call at once, alone, when a slot is free', async () => {
    const control = controlledRun();
    const batcher = new MicroBatcher({ maxBatchSize: 10, maxConcurrentBatches: 1, run: control.run });

    const result = batcher.submit(1);
    expect(control.batches).toEqual([[1]]);
    await control.finishNext();

    await expect(result).resolves.toBe('done 1');
  });

  it('groups the calls that arrive while every slot is busy, up to the batch size', async () => {
    const control = controlledRun();
    const batcher = new MicroBatcher({ maxBatchSize: 3, maxConcurrentBatches: 2, run: control.run });

    const results = [1, 2, 3, 4, 5, 6, 7].map((item) => batcher.submit(item));
    expect(control.batches).toEqual([[1], [2]]);
    expect(batcher.waiting).toBe(5);

    await control.finishNext();
    expect(control.batches).toEqual([[1], [2], [3, 4, 5]]);
    await control.finishNext();
    expect(control.batches).toEqual([[1], [2], [3, 4, 5], [6, 7]]);
    await control.finishNext();
    await control.finishNext();

    await expect(Promise.all(results)).resolves.toEqual([1, 2, 3, 4, 5, 6, 7].map((item) => `done ${item}`));
    expect(batcher.waiting).toBe(0);
  });

  it('retries a failed batch item by item, so only the item that fails is refused', async () => {
    const control = controlledRun((item) => item === 3);
    const batcher = new MicroBatcher({ maxBatchSize: 10, maxConcurrentBatches: 1, run: control.run });

    const results = [1, 2, 3, 4].map((item) => batcher.submit(item).catch((error: Error) => error.message));
    await control.finishNext(); // [1]
    await control.finishNext(); // [2, 3, 4] fails
    expect(control.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    await control.finishNext();
    await control.finishNext();
    await control.finishNext();

    await expect(Promise.all(results)).resolves.toEqual(['done 1', 'done 2', 'batch 3 failed', 'done 4']);
    expect(batcher.stats).toEqual({ batches: 5, items: 7, failedBatches: 2 });
  });

  it('treats a batch that returns the wrong number of results as failed', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>({
      maxBatchSize: 10,
      maxConcurrentBatches: 1,
      run: (items) => {
        calls++;
        return Promise.resolve(items.length > 1 ? [] : items);
      },
    });

    // Both arrive before the first batch has started its run: they share it.
    const results = await Promise.all([batcher.submit(1), batcher.submit(2), batcher.submit(3)]);

    expect(results).toEqual([1, 2, 3]);
    expect(calls).toBe(4); // [1], [2, 3] (wrong), [2], [3]
  });

  it('tells when nothing is waiting or running any more', async () => {
    const control = controlledRun();
    const batcher = new MicroBatcher({ maxBatchSize: 2, maxConcurrentBatches: 1, run: control.run });
    await batcher.idle();

    let idle = false;
    void Promise.all([batcher.submit(1), batcher.submit(2), batcher.submit(3)]);
    void batcher.idle().then(() => (idle = true));
    await control.finishNext();
    expect(idle).toBe(false);
    await control.finishNext();

    expect(idle).toBe(true);
  });

  it('lets a batch that is not full wait lingerMs for more items, and runs a full one at once', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask', 'nextTick'] });
    try {
      const control = controlledRun();
      const batcher = new MicroBatcher({ maxBatchSize: 3, maxConcurrentBatches: 1, lingerMs: 30, run: control.run });

      const first = [batcher.submit(1), batcher.submit(2)];
      jest.advanceTimersByTime(29);
      expect(control.batches).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(control.batches).toEqual([[1, 2]]);
      await control.finishNext();
      await expect(Promise.all(first)).resolves.toEqual(['done 1', 'done 2']);

      const full = [batcher.submit(3), batcher.submit(4), batcher.submit(5)];
      expect(control.batches).toEqual([
        [1, 2],
        [3, 4, 5],
      ]);
      await control.finishNext();
      await expect(Promise.all(full)).resolves.toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('runs lingering items at once when asked to become idle', async () => {
    const control = controlledRun();
    const batcher = new MicroBatcher({ maxBatchSize: 10, maxConcurrentBatches: 1, lingerMs: 60_000, run: control.run });

    const result = batcher.submit(1);
    const idle = batcher.idle();
    expect(control.batches).toEqual([[1]]);
    await control.finishNext();

    await idle;
    await expect(result).resolves.toBe('done 1');
  });

  it('lets nothing linger until it is idle, once asked to become idle', async () => {
    const control = controlledRun();
    const batcher = new MicroBatcher({ maxBatchSize: 10, maxConcurrentBatches: 1, lingerMs: 60_000, run: control.run });

    const first = batcher.submit(1);
    const idle = batcher.idle();
    expect(control.batches).toEqual([[1]]);
    // Arriving while the batcher drains: they run as soon as the slot is free, not after the linger.
    const later = [batcher.submit(2), batcher.submit(3)];
    await control.finishNext();
    expect(control.batches).toEqual([[1], [2, 3]]);
    await control.finishNext();

    await idle;
    await expect(Promise.all([first, ...later])).resolves.toHaveLength(3);
  });

  it('refuses to be built without room for an item or a batch', () => {
    const run = (items: number[]) => Promise.resolve(items);
    expect(() => new MicroBatcher({ maxBatchSize: 0, maxConcurrentBatches: 1, run })).toThrow();
    expect(() => new MicroBatcher({ maxBatchSize: 1, maxConcurrentBatches: 0, run })).toThrow();
  });
});
