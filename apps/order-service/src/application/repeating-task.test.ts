import { describe, expect, it } from 'vitest';
import { RepeatingTask } from './repeating-task.ts';

describe('a repeating background task', () => {
  it('runs again after a failed run, reporting the failure', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    let third: () => void = () => undefined;
    const thirdRun = new Promise<void>((resolve) => (third = resolve));
    const task = new RepeatingTask({
      run: async () => {
        runs += 1;
        if (runs === 3) third();
        if (runs === 1) throw new Error('database unreachable');
      },
      intervalMs: 1,
      onError: (error) => errors.push(error),
    });
    task.start();
    await thirdRun;
    await task.stop();
    expect(errors).toEqual([new Error('database unreachable')]);
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it('stops at once during a long pause, and waits for the run in progress before that', async () => {
    let finishRun: () => void = () => undefined;
    let runStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (runStarted = resolve));
    let runs = 0;
    const task = new RepeatingTask({
      run: () => {
        runs += 1;
        runStarted();
        return new Promise<void>((resolve) => (finishRun = resolve));
      },
      intervalMs: 3_600_000,
      onError: () => undefined,
    });
    task.start();
    await started;
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    expect(task.stopped).toBe(true);
    finishRun();
    await stopping;
    expect(runs).toBe(1);
    task.start();
    expect(runs).toBe(1);
  });
});
