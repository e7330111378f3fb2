import { describe, expect, it, jest } from '@jest/globals';
import { PeriodicTask } from './periodic-task.js';

describe(PeriodicTask.name, () => {
  it('runs on every tick but never overlaps a slow run, and stop() waits for it', async () => {
    jest.useFakeTimers();
    let finish: () => void = () => undefined;
    const run = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const sut = new PeriodicTask(run, 100, () => undefined);
    sut.start();
    await jest.advanceTimersByTimeAsync(350);
    expect(run).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = sut.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledTimes(1);
    jest.useRealTimers();
  });

  it('reports a failure and runs again on the next tick', async () => {
    jest.useFakeTimers();
    const onError = jest.fn();
    const run = jest.fn(() => Promise.reject(new Error('db down')));
    const sut = new PeriodicTask(run, 100, onError);
    sut.start();
    await jest.advanceTimersByTimeAsync(250);
    expect(run).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledTimes(2);
    await sut.stop();
    jest.useRealTimers();
  });
});
