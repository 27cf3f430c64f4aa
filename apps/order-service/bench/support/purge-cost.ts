import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderServer } from '../../src/server.ts';
import type { RunFigures } from './stats.ts';
import { figuresRow, fixed, formatTable, median, medianOf } from './stats.ts';

/**
 * Issue 14 goal 6: order creation with the retention purge running in the same process. Before each pair
 * of runs the idempotency table is topped up to BENCH_PURGE_ROWS expired records (copies of a real stored
 * response, two days old); then order creation runs once without the purge and once while the service's
 * own purger deletes them with its configured batch size and pause, run after run.
 */

const DEFAULT_SEED_ROWS = 200_000;

/** BENCH_PURGE_ROWS: expired idempotency records to purge during each run (0 skips the comparison). */
export function readPurgeSeedRows(): number {
  const text = process.env.BENCH_PURGE_ROWS;
  if (text === undefined || text === '') return DEFAULT_SEED_ROWS;
  const rows = Number(text);
  if (!Number.isInteger(rows) || rows < 0)
    throw new Error(`BENCH_PURGE_ROWS must be a whole number ≥ 0, got "${text}"`);
  return rows;
}

const EXPIRED_PREFIX = 'bench-expired-';

async function expiredRows(server: OrderServer): Promise<number> {
  const { rows } = await server.context.db.query<{ expired: number }>(
    `SELECT count(*)::int AS expired FROM idempotency_keys WHERE starts_with(key, $1)`,
    [EXPIRED_PREFIX],
  );
  return rows[0]?.expired ?? 0;
}

/** Adds expired records until there are `target`; they copy a record the service stored itself. */
async function topUp(server: OrderServer, target: number, round: number): Promise<void> {
  const missing = target - (await expiredRows(server));
  if (missing <= 0) return;
  await server.context.db.query(
    `INSERT INTO idempotency_keys (key, request_hash, completed, response, order_id, created_at)
     SELECT $1 || $2 || '-' || n, sample.request_hash, true, sample.response, sample.order_id,
            now() - interval '2 days'
     FROM generate_series(1, $3::int) AS n,
          (SELECT request_hash, response, order_id FROM idempotency_keys WHERE completed LIMIT 1) AS sample`,
    [EXPIRED_PREFIX, round, missing],
  );
  await server.context.db.query('ANALYZE idempotency_keys');
}

/** Runs the service's purger back to back until `done`; how many rows it deleted. */
async function purgeUntil(server: OrderServer, done: () => boolean): Promise<number> {
  let deleted = 0;
  while (!done()) {
    const report = await server.purger.purge();
    deleted += report.deleted.idempotency_keys + report.deleted.processed_messages;
    // Nothing (left) to delete: wait as the interval would, instead of querying in a tight loop.
    if (report.deleted.idempotency_keys === 0) await sleep(200);
  }
  return deleted;
}

export interface PurgeCost {
  readonly without: RunFigures;
  readonly with: RunFigures;
  /** Median over the pairs of (with purge ÷ without). */
  readonly pairedRatio: number;
  /** Median rows deleted per second while the purge ran. */
  readonly purgedPerSecond: number;
}

export async function measurePurgeCost(options: {
  readonly server: OrderServer;
  readonly seedRows: number;
  readonly repeats: number;
  readonly durationSeconds: number;
  /** Order creation against the service for this many seconds. */
  readonly load: (seconds: number) => Promise<RunFigures>;
}): Promise<PurgeCost> {
  const { server, seedRows, repeats, durationSeconds, load } = options;
  const withoutRuns: RunFigures[] = [];
  const withRuns: RunFigures[] = [];
  const rates: number[] = [];
  for (let round = 1; round <= repeats; round += 1) {
    await topUp(server, seedRows, round);
    const without = await load(durationSeconds);
    let loading = true;
    const started = performance.now();
    const purging = purgeUntil(server, () => !loading);
    const withPurge = await load(durationSeconds).finally(() => {
      loading = false;
    });
    const deleted = await purging;
    const seconds = (performance.now() - started) / 1000;
    withoutRuns.push(without);
    withRuns.push(withPurge);
    rates.push(deleted / seconds);
    console.log(
      `purge run ${round}: without ${fixed(without.throughput)}/s p50 ${fixed(without.p50)} p99 ${fixed(without.p99)} ms` +
        ` failures ${without.failures} | with purge ${fixed(withPurge.throughput)}/s p50 ${fixed(withPurge.p50)}` +
        ` p99 ${fixed(withPurge.p99)} ms failures ${withPurge.failures}, ${deleted} rows purged` +
        ` (${fixed(deleted / seconds, 0)}/s), ${await expiredRows(server)} expired left`,
    );
  }
  return {
    without: medianOf(withoutRuns),
    with: medianOf(withRuns),
    pairedRatio: median(
      withRuns.map((run, index) => run.throughput / (withoutRuns[index]?.throughput ?? NaN)),
    ),
    purgedPerSecond: median(rates),
  };
}

/** Measures and prints the comparison (a table and the ratio), unless BENCH_PURGE_ROWS=0. */
export async function reportPurgeCost(options: {
  readonly server: OrderServer;
  readonly repeats: number;
  readonly durationSeconds: number;
  readonly connections: number;
  /** The service's retention settings (its purger's batch size and pause). */
  readonly retention: { readonly batchSize: number; readonly pauseMs: number };
  readonly load: (seconds: number) => Promise<RunFigures>;
}): Promise<PurgeCost | undefined> {
  const seedRows = readPurgeSeedRows();
  if (seedRows === 0) return undefined;
  const { batchSize, pauseMs } = options.retention;
  console.log(
    `\nretention purge: order creation without and with the purge deleting expired idempotency records ` +
      `(${seedRows} seeded before each pair, batch ${batchSize}, pause ${pauseMs} ms)\n`,
  );
  const cost = await measurePurgeCost({ ...options, seedRows });
  const row = figuresRow;
  console.log(`\nmedians of ${options.repeats} runs, ${options.connections} concurrent clients:\n`);
  console.log(
    formatTable(
      ['POST /api/v1/orders', 'ops/s', 'p50 ms', 'p99 ms', 'failures'],
      [
        row('without the purge', cost.without),
        row('while the purge runs', cost.with),
        ['with ÷ without (median of pairs)', `${fixed(100 * cost.pairedRatio)} %`],
        ['rows purged per second (median)', fixed(cost.purgedPerSecond, 0)],
      ],
    ),
  );
  return cost;
}
