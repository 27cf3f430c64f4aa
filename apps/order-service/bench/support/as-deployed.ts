import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createDatabaseOn } from '@mallhive/testing';
import { loadConfig } from '../../src/config/config.ts';
import { createServer } from '../../src/server.ts';
import type { RunFigures } from './stats.ts';

/** One as-deployed run: the load's figures, then how long it took until every order it placed was paid. */
export interface DeployedRun {
  readonly load: RunFigures;
  /** Orders of the run's customer in the database once the load stopped. */
  readonly created: number;
  /** Of those, how many reached PAID (read from the database) before the drain timeout. */
  readonly paid: number;
  readonly loadSeconds: number;
  /** From the end of the load until all were PAID and the outbox empty (or the timeout). */
  readonly drainSeconds: number;
  readonly completed: boolean;
  /** Outbox entries the dispatcher gave up on (dead); any is a failure of the run. */
  readonly deadEntries: number;
  /** Orders completed to PAID per second: created ÷ (load time + drain time). */
  readonly paidPerSecond: number;
}

const POLL_MS = 100;

/**
 * Issue 14, goal 2: the service as `server.start()` runs it in production — listening, with the outbox
 * dispatcher and the payment sweeper in the same process — with simulated peers without latency, on a
 * database of its own (the other parts' orders would otherwise be in its outbox).
 *
 * An order gets to PAID through the dispatcher: its `payment.initiate` entry asks the simulated payment
 * service, which records the payment (simulated_payments) and — SIMULATED_PAYMENT_DELAY_MS later, here 0 —
 * calls back through the real, signature-checking callback route; that commit makes the order PAID and
 * writes its own outbox entries (stock.commit, the events, e-mail and analytics), which drain in turn.
 */
export async function measureAsDeployed(options: {
  adminUrl: string;
  serviceEnv: Record<string, string>;
  runs: number;
  warmupSeconds: number;
  durationSeconds: number;
  drainTimeoutSeconds: number;
  /** Places orders for the customer `userId` (with that customer's token) for `durationSeconds`. */
  load(url: string, userId: string, durationSeconds: number): Promise<RunFigures>;
  onRun(run: number, result: DeployedRun): void;
}): Promise<DeployedRun[]> {
  const database = await createDatabaseOn(options.adminUrl, 'order_service_deployed');
  const observer = new pg.Pool({ connectionString: database.url, max: 1 });
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    server = await createServer(
      loadConfig({
        ...options.serviceEnv,
        DATABASE_URL: database.url,
        PORT: '0',
        SIMULATED_PEER_LATENCY_MS: '0',
        SIMULATED_PAYMENT_DELAY_MS: '0',
      }),
    );
    const url = await server.start();
    const drain = (userId: string, loadEnded: number) =>
      waitUntilPaid(observer, userId, loadEnded, options.drainTimeoutSeconds);

    await options.load(url, 'bench-deployed-warmup', options.warmupSeconds);
    await drain('bench-deployed-warmup', performance.now());
    const results: DeployedRun[] = [];
    for (let run = 1; run <= options.runs; run += 1) {
      const userId = `bench-deployed-${run}`;
      const load = await options.load(url, userId, options.durationSeconds);
      const state = await drain(userId, performance.now());
      // The load's own duration (as autocannon measured it), without starting its worker thread.
      const loadSeconds = load.operations / load.throughput;
      const result: DeployedRun = {
        load,
        ...state,
        loadSeconds,
        paidPerSecond: state.completed
          ? state.created / (loadSeconds + state.drainSeconds)
          : Number.NaN,
      };
      options.onRun(run, result);
      results.push(result);
    }
    return results;
  } finally {
    await server?.stop();
    await observer.end();
    await database.drop();
  }
}

/** Polls the database until all of `userId`'s orders are PAID and the outbox is empty, or the timeout. */
async function waitUntilPaid(
  db: pg.Pool,
  userId: string,
  loadEnded: number,
  timeoutSeconds: number,
) {
  for (;;) {
    const { rows } = await db.query<{
      created: number;
      paid: number;
      pending_entries: number;
      dead_entries: number;
    }>(
      `SELECT (SELECT count(*)::int FROM orders WHERE user_id = $1) AS created,
              (SELECT count(*)::int FROM orders WHERE user_id = $1 AND status = 'PAID') AS paid,
              (SELECT count(*)::int FROM outbox WHERE dead_at IS NULL) AS pending_entries,
              (SELECT count(*)::int FROM outbox WHERE dead_at IS NOT NULL) AS dead_entries`,
      [userId],
    );
    const state = rows[0] ?? { created: 0, paid: 0, pending_entries: 0, dead_entries: 0 };
    const drainSeconds = (performance.now() - loadEnded) / 1000;
    const completed =
      state.paid === state.created && state.pending_entries === 0 && state.dead_entries === 0;
    if (completed || state.dead_entries > 0 || drainSeconds > timeoutSeconds)
      return {
        created: state.created,
        paid: state.paid,
        drainSeconds,
        completed,
        deadEntries: state.dead_entries,
      };
    await sleep(POLL_MS);
  }
}
