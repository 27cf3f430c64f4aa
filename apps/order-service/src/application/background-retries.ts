import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import type { Logger } from 'pino';

/**
 * Work that must be finished but not by the request that started it — settling a placement the database
 * could not confirm while it was away. Each task is retried with backoff (100 ms doubling to 1 s, so it
 * runs soon after the database is back) until it succeeds or the service stops; what is left at shutdown
 * is covered elsewhere (a claim whose process is gone is taken over at once, see idempotency-store.ts).
 */
export class BackgroundRetries {
  readonly #logger: Logger;
  readonly #stopping = new AbortController();
  readonly #running = new Set<Promise<void>>();
  readonly #policy = retry(handleAll, {
    backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1_000 }),
  });

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  run(what: string, task: () => Promise<void>): void {
    const job = this.#policy
      .execute(async ({ signal }) => {
        if (signal.aborted) throw new Error('stopping');
        await task();
      }, this.#stopping.signal)
      .then(
        () => this.#logger.info({ what }, 'finished in the background'),
        (error: unknown) => {
          if (!this.#stopping.signal.aborted) this.#logger.error({ err: error, what }, 'gave up');
          else this.#logger.warn({ what }, 'left unfinished at shutdown');
        },
      )
      .finally(() => this.#running.delete(job));
    this.#running.add(job);
  }

  /** Gives up what is still retrying and waits for attempts in flight. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await Promise.allSettled(this.#running);
  }
}
