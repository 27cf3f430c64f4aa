/**
 * Outbox relay throughput (issue 3): how fast the real OutboxDispatcher drains a backlog of event.publish
 * entries — the situation after a broker outage — to a counting sink and to the log publisher.
 *
 *   npx nx run order-service:bench-relay
 *   DATABASE_URL=postgres://… BENCH_RELAY_EVENTS=100000 BENCH_REPEATS=3 OUTBOX_BATCH_SIZE=100 DATABASE_POOL_MAX=10
 *   BENCH_RELAY_CASES=sink,log,ordered   (default sink,log)
 *
 * The backlog is written by direct SQL into a fresh database, shaped like the service's own entries. One
 * dispatcher drains it by calling runOnce() until nothing is left, which is what its loop does while every
 * batch comes back full. No HTTP traffic runs meanwhile. After each counting-sink run, every event id must
 * have arrived exactly once, and each order's events in creation order.
 */
import pg from 'pg';
import { pino } from 'pino';
import { createLogPublisher } from '../src/adapters/events/log-publisher.ts';
import type { EventPublisher } from '../src/application/ports.ts';
import { loadConfig } from '../src/config/config.ts';
import { createServer } from '../src/server.ts';
import { readBenchSettings } from './support/bench-settings.ts';
import { createBenchmarkDatabase } from './support/benchmark-database.ts';
import { printFinalLoad, printReportHeader } from './support/machine-report.ts';
import { CountingPublisher } from './support/counting-publisher.ts';
import { fillOutbox, LIFECYCLE_EVENT_TYPES } from './support/outbox-backlog.ts';
import { fixed, formatTable, median } from './support/stats.ts';

const settings = readBenchSettings();
const events = Number(process.env.BENCH_RELAY_EVENTS ?? 100_000);
if (!Number.isInteger(events) || events < 1) throw new Error('BENCH_RELAY_EVENTS must be ≥ 1');
const database = await createBenchmarkDatabase(settings.adminUrl);
const config = loadConfig({
  NODE_ENV: 'development',
  DATABASE_URL: database.url,
  DATABASE_POOL_MAX: String(settings.poolMax),
  LOG_LEVEL: 'warn',
  ...(process.env.OUTBOX_BATCH_SIZE ? { OUTBOX_BATCH_SIZE: process.env.OUTBOX_BATCH_SIZE } : {}),
});
const admin = new pg.Pool({ connectionString: database.url, max: 2 });

printReportHeader(
  'outbox relay benchmark',
  database.description,
  `backlog ${events} event.publish entries, batch size ${config.outbox.batchSize}, ` +
    `pool ${settings.poolMax}, one dispatcher, ${settings.repeats} runs per case`,
);

interface RelayCase {
  readonly name: string;
  readonly eventsPerOrder: number;
  readonly publisher: EventPublisher;
  /** Present when the sink can tell what arrived. */
  readonly counting?: CountingPublisher;
}

const counting = new CountingPublisher();
// Same logger as production (pino, synchronous writes) but into /dev/null: the cost of formatting lines.
const devNull = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: true }));
const allCases: Record<string, RelayCase> = {
  sink: {
    name: 'counting sink, 1 event per order',
    eventsPerOrder: 1,
    publisher: counting,
    counting,
  },
  log: {
    name: 'log publisher → /dev/null, 1 per order',
    eventsPerOrder: 1,
    publisher: createLogPublisher(devNull),
  },
  // Per-order ordering at work: only the oldest unpublished event of each order may be claimed.
  ordered: {
    name: 'counting sink, 4 events per order',
    eventsPerOrder: 4,
    publisher: counting,
    counting,
  },
};
// The default pair keeps a run near three minutes on the shared machine; add `ordered` when there is time.
const cases = (process.env.BENCH_RELAY_CASES ?? 'sink,log').split(',').map((name) => {
  const relayCase = allCases[name.trim()];
  if (!relayCase) throw new Error(`BENCH_RELAY_CASES: unknown case "${name}" (sink, log, ordered)`);
  return relayCase;
});

const results: { name: string; runs: number[]; problems: string[] }[] = [];
try {
  for (const relayCase of cases) {
    const server = await createServer(config, { publisher: relayCase.publisher });
    const runs: number[] = [];
    const problems: string[] = [];
    try {
      // Warm-up (JIT, plan cache, connections), not measured.
      await fillOutbox(admin, Math.min(events, 2_000), relayCase.eventsPerOrder);
      while ((await server.dispatcher.runOnce()) > 0);
      for (let run = 1; run <= settings.repeats; run += 1) {
        const filling = performance.now();
        const written = await fillOutbox(admin, events, relayCase.eventsPerOrder);
        const fillSeconds = (performance.now() - filling) / 1000;
        relayCase.counting?.reset();
        const started = performance.now();
        let batches = 0;
        while ((await server.dispatcher.runOnce()) > 0) batches += 1;
        const seconds = (performance.now() - started) / 1000;
        const { rows } = await admin.query<{ left: number }>(
          'SELECT count(*)::int AS left FROM outbox',
        );
        const runProblems = [
          ...(relayCase.counting?.problems(written, LIFECYCLE_EVENT_TYPES) ?? []),
          ...(rows[0]?.left ? [`${rows[0].left} entries left in the outbox`] : []),
        ];
        problems.push(...runProblems);
        runs.push(written.size / seconds);
        console.log(
          `${relayCase.name} run ${run}: ${written.size} events in ${fixed(seconds, 2)} s = ` +
            `${fixed(written.size / seconds, 0)} events/s, ${batches} batches (backlog written in ${fixed(fillSeconds, 1)} s)` +
            (relayCase.counting
              ? `; exactly once${relayCase.eventsPerOrder > 1 ? ' and in order' : ''}: ${runProblems.length === 0 ? 'yes' : runProblems.join(', ')}`
              : ''),
        );
      }
    } finally {
      await server.stop();
    }
    results.push({ name: relayCase.name, runs, problems });
  }

  console.log(`\nmedians of ${settings.repeats} runs:\n`);
  console.log(
    formatTable(
      ['case', 'events/s', 'min', 'max', 'delivery check'],
      results.map(({ name, runs, problems }) => [
        name,
        fixed(median(runs), 0),
        fixed(Math.min(...runs), 0),
        fixed(Math.max(...runs), 0),
        name.startsWith('counting') ? (problems.length === 0 ? 'exactly once' : 'FAILED') : 'n/a',
      ]),
    ),
  );
  printFinalLoad();
  if (results.some(({ problems }) => problems.length > 0)) process.exitCode = 1;
} finally {
  await admin.end();
  await database.drop();
}
