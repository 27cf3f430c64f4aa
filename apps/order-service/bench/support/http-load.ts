import { Worker } from 'node:worker_threads';
import type { RunFigures } from './stats.ts';

/** One autocannon run, described in plain data so it can cross to the load-generator thread. */
export interface HttpLoadJob {
  /** One service, or its replicas: the connections are spread evenly over them, as a load balancer would. */
  readonly url: string | readonly string[];
  readonly connections: number;
  readonly durationSeconds: number;
  /** The status every request should get; anything else counts as a failure. */
  readonly expectedStatus: number;
  /** Sent with every request (the bearer token). */
  readonly headers: Readonly<Record<string, string>>;
  readonly request:
    | {
        readonly kind: 'create';
        readonly body: string;
        /** Prefix of the Idempotency-Key; a counter makes every request's key unique. */
        readonly keyPrefix: string;
      }
    | {
        readonly kind: 'read';
        /** GET each in turn, round and round (an order by id, a page of a listing…). */
        readonly paths: readonly string[];
      };
}

/**
 * Runs autocannon in a worker thread: the load generator gets its own event loop instead of stealing the
 * service's (it still shares the machine's two cores with the service and PostgreSQL, as any client would).
 */
export function runHttpLoad(job: HttpLoadJob): Promise<RunFigures> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-load-worker.ts', import.meta.url), {
      workerData: job,
    });
    let figures: RunFigures | undefined;
    worker.once('message', (message: RunFigures) => {
      figures = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (figures) resolve(figures);
      else reject(new Error(`load generator exited with code ${code} before reporting`));
    });
  });
}
