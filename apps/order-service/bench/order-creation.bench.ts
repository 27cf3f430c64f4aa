/**
 * Order creation and order reads through the whole service, against the ceiling of the identical SQL
 * driven directly through `pg` with the same pool size (issue 2, "Benchmark (not a test)"); and the cost
 * of verifying the bearer token (issue 10): the same service with the verifier swapped for one that only
 * decodes the claims, measured alternately in the same run.
 *
 *   npx nx run order-service:bench
 *   DATABASE_URL=postgres://… BENCH_DURATION_S=10 BENCH_REPEATS=3 BENCH_CONNECTIONS=32 DATABASE_POOL_MAX=10
 *
 * The service runs in this process (createServer + listen on 127.0.0.1:0, simulated peers without latency,
 * LOG_LEVEL=warn) and trusts a real issuer with a JWKS on loopback (testing/test-issuer.ts); every request
 * carries an RS256 token of that issuer. autocannon runs in a worker thread. The outbox dispatcher and payment sweeper are NOT
 * started: they would compete with the requests for the same two cores and the same pool, and the ceiling
 * has no such competitor either. Their cost is measured separately by outbox-relay.bench.ts.
 *
 * Then order creation with and without the retention purge deleting expired idempotency records in the
 * same process (issue 14; bench/support/purge-cost.ts, BENCH_PURGE_ROWS, 0 skips it).
 *
 * Then the cost of tracing (issue 12): the same service in child processes, with tracing off and on at each
 * sampling ratio of BENCH_TRACE_RATIOS (default 1,0.1; parent-based), exporting OTLP to a local sink.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Queryable } from '../src/adapters/postgres/database.ts';
import { claimIdempotencyKey } from '../src/adapters/postgres/idempotency-store.ts';
import { findOrder, insertPlacedOrder } from '../src/adapters/postgres/order-repository.ts';
import { simulatedUnitPrice } from '@mallhive/order-contracts';
import { loadConfig } from '../src/config/config.ts';
import type { PlaceOrderRequest } from '../src/application/place-order.ts';
import { placeOrder } from '../src/domain/order.ts';
import { etagOf, locationOf, toOrderResource } from '../src/http/order-resource.ts';
import { outboxEntriesFor } from '../src/outbox/outbox-entry.ts';
import { createServer } from '../src/server.ts';
import { createTokenVerifier } from '../src/adapters/identity/token-verifier.ts';
import { authEnvironment, TEST_AUDIENCE, TestIssuer } from '../src/testing/test-issuer.ts';
import { orderBody } from '../src/testing/test-server.ts';
import { benchServiceEnv } from './support/bench-service-env.ts';
import { claimsOnlyVerifier } from './support/claims-only-verifier.ts';
import { readBenchSettings, readTraceRatios } from './support/bench-settings.ts';
import { createBenchmarkDatabase } from './support/benchmark-database.ts';
import { reportPurgeCost } from './support/purge-cost.ts';
import { printFinalLoad, printReportHeader } from './support/machine-report.ts';
import { runClosedLoop } from './support/closed-loop.ts';
import { runHttpLoad } from './support/http-load.ts';
import type { RunFigures } from './support/stats.ts';
import { fixed, formatTable, median, medianOf } from './support/stats.ts';
import { measureTracingCost } from './support/tracing-cost.ts';

const GOAL_RATIO = 0.7;
const GOAL_P99_MS = 50;
/** Verification may cost at most this share of order-creation throughput. */
const GOAL_VERIFICATION_COST = 0.05;
/** Issue 12: with tracing on, order creation keeps at least this share of its throughput. */
const GOAL_TRACING_RATIO = 0.9;

const settings = readBenchSettings();
const database = await createBenchmarkDatabase(settings.adminUrl);
const traceRatios = readTraceRatios();
const issuer = await TestIssuer.start();
const serviceEnv = {
  ...benchServiceEnv(database.url, settings.poolMax),
  ...authEnvironment(issuer),
};
const config = loadConfig(serviceEnv);
const [server, unverified] = await Promise.all([
  createServer(config),
  createServer(config, { verifier: claimsOnlyVerifier }),
]).catch(async (error: unknown) => {
  await Promise.all([database.drop(), issuer.close()]);
  throw error;
});
// Listen only: start() would also start the outbox dispatcher and the payment sweeper.
const baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
const unverifiedUrl = await unverified.app.listen({ port: 0, host: '127.0.0.1' });
const headers = { authorization: `Bearer ${await issuer.customer(orderBody().userId)}` };
const ceilingPool = new pg.Pool({ connectionString: database.url, max: settings.poolMax });
const ceilingDb: Queryable = {
  query: (text, params) => ceilingPool.query(text, params),
};

printReportHeader(
  'order creation benchmark',
  database.description,
  `${settings.connections} concurrent clients, pool ${settings.poolMax}, ` +
    `${settings.durationSeconds} s × ${settings.repeats} runs (+${settings.warmupSeconds} s warm-up), workers not started`,
);

const bodyText = JSON.stringify(orderBody());
// What the service's route handler receives for that body.
const body = JSON.parse(bodyText) as PlaceOrderRequest;
let runNumber = 0;

/** The service: POST /api/v1/orders, each request with its own Idempotency-Key. */
const createAt = (url: string) => (durationSeconds: number) =>
  runHttpLoad({
    url,
    connections: settings.connections,
    durationSeconds,
    expectedStatus: 201,
    headers,
    request: { kind: 'create', body: bodyText, keyPrefix: `bench-${++runNumber}-${randomUUID()}` },
  });
const serviceCreate = createAt(baseUrl);

/**
 * The ceiling: exactly the statements the service sends for one order (the idempotency claim, then the
 * one-statement insert of order, items, history, outbox and stored response), with parameters of the same
 * shape, built by the same domain code, through a plain pg.Pool of the same size.
 */
const REQUEST_HASH = 'f'.repeat(64);
const ceilingCreate = (durationSeconds: number) => {
  const keyPrefix = `ceiling-${++runNumber}-${randomUUID()}`;
  let sequence = 0;
  return runClosedLoop(
    async () => {
      const key = `${keyPrefix}-${++sequence}`;
      const orderId = randomUUID();
      const claim = await claimIdempotencyKey(ceilingDb, key, REQUEST_HASH, {
        orderId,
        presenceKey: 1,
      });
      if (claim.outcome !== 'claimed') throw new Error(`claim ${key}: ${claim.outcome}`);
      const order = placeOrder({
        id: orderId,
        userId: body.userId,
        currency: body.currency,
        customerEmail: body.customerEmail,
        shippingAddress: body.shippingAddress,
        lines: body.items.map((item) => ({
          ...item,
          unitPrice: simulatedUnitPrice(item.productId, body.currency),
        })),
        at: new Date(),
        actor: body.userId,
      });
      await insertPlacedOrder(ceilingDb, order, outboxEntriesFor(order, randomUUID), {
        key,
        response: {
          statusCode: 201,
          headers: { location: locationOf(order), etag: etagOf(order) },
          body: JSON.stringify(toOrderResource(order)),
        },
      });
    },
    { concurrency: settings.connections, durationMs: durationSeconds * 1000 },
  );
};

const readAt = (url: string) => (ids: readonly string[], durationSeconds: number) =>
  runHttpLoad({
    url,
    connections: settings.connections,
    durationSeconds,
    expectedStatus: 200,
    headers,
    request: { kind: 'read', pathPrefix: '/api/v1/orders/', ids },
  });
const serviceRead = readAt(baseUrl);

const ceilingRead = (ids: readonly string[], durationSeconds: number) => {
  let sequence = 0;
  return runClosedLoop(
    async () => {
      const id = ids[++sequence % ids.length] ?? '';
      if (!(await findOrder(ceilingDb, id))) throw new Error(`order ${id} not found`);
    },
    { concurrency: settings.connections, durationMs: durationSeconds * 1000 },
  );
};

/** The same token through the service's verifier, in this process (keys cached after the first call). */
const verifier = createTokenVerifier({
  issuer: issuer.issuer,
  jwksUrl: issuer.jwksUrl,
  audience: TEST_AUDIENCE,
});

/** Median µs per call of `work`, over 20 rounds of 100 sequential calls (after a warm-up round). */
async function timePerCall(work: () => Promise<unknown>): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round <= 20; round += 1) {
    const started = performance.now();
    for (let call = 0; call < 100; call += 1) await work();
    if (round > 0) rounds.push(((performance.now() - started) * 1000) / 100);
  }
  return median(rounds);
}

/**
 * Runs `work` and tells how busy this process's main thread (the service, or the ceiling's driver) was
 * meanwhile: near 100 % means Node, not PostgreSQL, is what limits throughput.
 */
async function withMainThreadLoad<T>(work: () => Promise<T>): Promise<[T, number]> {
  const before = performance.eventLoopUtilization();
  const result = await work();
  return [result, performance.eventLoopUtilization(before).utilization];
}

/**
 * Warm-up, then service and ceiling alternately, so slow phases of the shared machine (and the growing
 * tables) fall on both sides alike instead of on whichever ran last.
 */
async function measurePair(
  label: string,
  service: (seconds: number) => Promise<RunFigures>,
  ceiling: (seconds: number) => Promise<RunFigures>,
  names: readonly [string, string] = ['service', 'ceiling'],
) {
  await service(settings.warmupSeconds);
  await ceiling(settings.warmupSeconds);
  const serviceRuns: RunFigures[] = [];
  const ceilingRuns: RunFigures[] = [];
  for (let run = 1; run <= settings.repeats; run += 1) {
    const [s, serviceBusy] = await withMainThreadLoad(() => service(settings.durationSeconds));
    const [c, ceilingBusy] = await withMainThreadLoad(() => ceiling(settings.durationSeconds));
    serviceRuns.push(s);
    ceilingRuns.push(c);
    console.log(
      `${label} run ${run}: ${names[0]} ${fixed(s.throughput)}/s p50 ${fixed(s.p50)} p99 ${fixed(s.p99)} ms` +
        ` failures ${s.failures} main thread ${fixed(100 * serviceBusy, 0)} % busy` +
        ` | ${names[1]} ${fixed(c.throughput)}/s p50 ${fixed(c.p50)} p99 ${fixed(c.p99)} ms` +
        ` failures ${c.failures} main thread ${fixed(100 * ceilingBusy, 0)} % busy`,
    );
  }
  // Each service run is paired with the ceiling run right after it; the median of those paired ratios
  // is less sensitive to the machine's slow and fast phases than the ratio of the two medians.
  const pairedRatios = serviceRuns.map(
    (run, index) => run.throughput / (ceilingRuns[index]?.throughput ?? Number.NaN),
  );
  return {
    service: medianOf(serviceRuns),
    ceiling: medianOf(ceilingRuns),
    pairedRatio: median(pairedRatios),
  };
}

try {
  const create = await measurePair('create', serviceCreate, ceilingCreate);
  const { rows } = await ceilingPool.query<{ id: string }>(
    'SELECT id FROM orders ORDER BY random() LIMIT 10000',
  );
  const ids = rows.map((row) => row.id);
  const read = await measurePair(
    'read  ',
    (seconds) => serviceRead(ids, seconds),
    (seconds) => ceilingRead(ids, seconds),
  );
  // The cost of verification: verified against claims-only, alternately.
  const arms = ['verified', 'claims only'] as const;
  const verifiedCreate = await measurePair('create', serviceCreate, createAt(unverifiedUrl), arms);
  const verifiedRead = await measurePair(
    'read  ',
    (seconds) => serviceRead(ids, seconds),
    (seconds) => readAt(unverifiedUrl)(ids, seconds),
    arms,
  );

  const row = (name: string, figures: RunFigures) => [
    name,
    fixed(figures.throughput),
    fixed(figures.p50),
    fixed(figures.p99),
    String(figures.failures),
  ];
  const ratios = (pair: { service: RunFigures; ceiling: RunFigures; pairedRatio: number }) => [
    'service / ceiling (of medians)',
    `${fixed((100 * pair.service.throughput) / pair.ceiling.throughput)} %`,
  ];
  const paired = (pair: { pairedRatio: number }) => [
    'service / ceiling (median of pairs)',
    `${fixed(100 * pair.pairedRatio)} %`,
  ];
  console.log(
    `\nmedians of ${settings.repeats} runs, ${settings.connections} concurrent clients:\n`,
  );
  console.log(
    formatTable(
      ['measurement', 'ops/s', 'p50 ms', 'p99 ms', 'failures'],
      [
        row('POST /api/v1/orders (service)', create.service),
        row('claim + insert via pg (ceiling)', create.ceiling),
        ratios(create),
        paired(create),
        row('GET /api/v1/orders/{id} (service)', read.service),
        row('findOrder via pg (ceiling)', read.ceiling),
        ratios(read),
        paired(read),
      ],
    ),
  );
  const costOf = (pair: { pairedRatio: number }) => 1 - pair.pairedRatio;
  const perVerification = await timePerCall(() => verifier.verify(headers.authorization.slice(7)));
  const perDecode = await timePerCall(() =>
    claimsOnlyVerifier.verify(headers.authorization.slice(7)),
  );
  console.log(
    `\nthe cost of token verification (RS256 signature, iss/aud/exp checks; keys cached by kid):\n`,
  );
  console.log(
    formatTable(
      ['measurement', 'ops/s', 'p50 ms', 'p99 ms', 'failures'],
      [
        row('POST /api/v1/orders, verified', verifiedCreate.service),
        row('POST /api/v1/orders, claims only', verifiedCreate.ceiling),
        ['verification cost (median of pairs)', `${fixed(100 * costOf(verifiedCreate))} %`],
        row('GET /api/v1/orders/{id}, verified', verifiedRead.service),
        row('GET /api/v1/orders/{id}, claims only', verifiedRead.ceiling),
        ['verification cost (median of pairs)', `${fixed(100 * costOf(verifiedRead))} %`],
        ['one verification, in process (median)', `${fixed(perVerification, 1)} µs`],
        ['one claims-only decode, in process (median)', `${fixed(perDecode, 1)} µs`],
        [
          'verification per created order, at the verified rate',
          `${fixed((100 * (perVerification - perDecode) * verifiedCreate.service.throughput) / 1e6, 2)} % of one core`,
        ],
      ],
    ),
  );
  console.log(
    `\ngoal (verification costs order creation ≤ ${GOAL_VERIFICATION_COST * 100} %): ` +
      `${costOf(verifiedCreate) <= GOAL_VERIFICATION_COST ? 'MET' : 'NOT MET'}; ` +
      `JWKS fetched ${issuer.server.jwksFetches} time(s) in the whole run (once per verifier: keys are cached)`,
  );
  const ratioMet = create.pairedRatio >= GOAL_RATIO;
  const p99Met = create.service.p99 < GOAL_P99_MS;
  console.log(
    `\ngoal (order creation ≥ ${GOAL_RATIO * 100} % of the ceiling, p99 < ${GOAL_P99_MS} ms): ` +
      `${ratioMet && p99Met ? 'MET' : 'NOT MET'} (ratio ${ratioMet ? 'met' : 'missed'}, p99 ${p99Met ? 'met' : 'missed'})`,
  );
  // Issue 14 goal 6: order creation while the retention purge runs (BENCH_PURGE_ROWS=0 skips it).
  await reportPurgeCost({ ...settings, server, retention: config.retention, load: serviceCreate });

  console.log(
    `\ntracing: order creation in child processes, off vs on at sampling ratios ${traceRatios.join(', ')}\n`,
  );
  const tracing = await measureTracingCost({
    variants: [
      { label: 'tracing off' },
      ...traceRatios.map((ratio) => ({
        label: `tracing on, ratio ${ratio}`,
        samplingRatio: ratio,
      })),
    ],
    serviceEnv,
    repeats: settings.repeats,
    durationSeconds: settings.durationSeconds,
    warmupSeconds: settings.warmupSeconds,
    load: (url, seconds) => createAt(url)(seconds),
    onRun: (round, variant, figures) =>
      console.log(
        `tracing run ${round}: ${variant.label.padEnd(22)} ${fixed(figures.throughput)}/s ` +
          `p50 ${fixed(figures.p50)} p99 ${fixed(figures.p99)} ms failures ${figures.failures}`,
      ),
  });
  console.log(
    `\nmedians of ${settings.repeats} runs, ${settings.connections} concurrent clients:\n`,
  );
  console.log(
    formatTable(
      [
        'POST /api/v1/orders',
        'ops/s',
        'p50 ms',
        'p99 ms',
        'failures',
        'vs off (pairs)',
        'CPU ms/order',
        'OTLP kB/s',
      ],
      tracing.map(({ variant, figures, pairedRatio, cpuMsPerOrder, exportedKBPerSecond }) => [
        variant.label,
        fixed(figures.throughput),
        fixed(figures.p50),
        fixed(figures.p99),
        String(figures.failures),
        `${fixed(100 * pairedRatio)} %`,
        fixed(cpuMsPerOrder, 3),
        fixed(exportedKBPerSecond),
      ]),
    ),
  );
  for (const { variant, pairedRatio } of tracing.filter(
    (t) => t.variant.samplingRatio !== undefined,
  ))
    console.log(
      `goal (${variant.label}: order creation ≥ ${GOAL_TRACING_RATIO * 100} % of tracing off): ` +
        `${pairedRatio >= GOAL_TRACING_RATIO ? 'MET' : 'NOT MET'}`,
    );
  printFinalLoad();
} finally {
  await ceilingPool.end();
  await Promise.all([server.stop(), unverified.stop()]);
  await Promise.all([database.drop(), issuer.close()]);
}
