import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A background job run again and again, `intervalMs` apart (from the end of one run to the start of the
 * next), until stopped: the loop of the payment sweeper and the retention purge. A failed run is reported
 * and the next one retries; stopping ends every pause at once and waits for the run in progress.
 */
export class RepeatingTask {
  readonly #run: () => Promise<unknown>;
  readonly #intervalMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #stopping = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(options: {
    run: () => Promise<unknown>;
    intervalMs: number;
    onError: (error: unknown) => void;
  }) {
    this.#run = options.run;
    this.#intervalMs = options.intervalMs;
    this.#onError = options.onError;
  }

  start(): void {
    if (this.#loop || this.stopped) return;
    this.#loop = (async () => {
      while (!this.stopped) {
        await this.#run().catch(this.#onError);
        await this.pause(this.#intervalMs);
      }
    })();
  }

  /** Ends the loop; resolves when the run in progress (which may watch `stopped`) has returned. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
  }

  get stopped(): boolean {
    return this.#stopping.signal.aborted;
  }

  /** Waits `ms`, or less if the task is stopped meanwhile. */
  async pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return;
    await sleep(ms, undefined, { signal: this.#stopping.signal }).catch(() => undefined);
  }
}
