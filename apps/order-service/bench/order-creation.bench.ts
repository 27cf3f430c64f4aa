/**
 * Order creation and order reads through the whole service, against the ceiling of the identical SQL
 * driven directly through `pg` with the same pool size (issue 2, "Benchmark (not a test)") and against the
 * physical ceiling, the minimal order transaction driven by pgbench (issue 14, goal 1); the cost of verifying
 * the bearer token (issue 10): the same service with the verifier swapped for one that only decodes the
 * claims, measured alternately in the same run; the service as deployed, with its workers, until every
 * order is paid (issue 14, goal 2); listing a customer's orders in a table of a million (issue 14, goal 3).
 * Part `replicas` spreads order creation over BENCH_REPLICAS (2) service processes, as the Deployment's
 * replicas share one database, against one of them and the pgbench ceiling (bench/support/replicas.ts).
 *
 *   npx nx run order-service:bench
 *   DATABASE_URL=postgres://… BENCH_DURATION_S=10 BENCH_REPEATS=3 BENCH_CONNECTIONS=32 DATABASE_POOL_MAX=10
 *   BENCH_PARTS=create,replicas,read,verification,deployed,list,purge,tracing BENCH_LIST_ORDERS=1000000
 *   BENCH_REPLICAS=2 (docs/performance.md)
 *
 * The service runs in this process (createServer + listen on 127.0.0.1:0, simulated peers without latency,
 * LOG_LEVEL=warn) and trusts a real issuer with a JWKS on loopback (testing/test-issuer.ts); every request
 * carries an RS256 token of that issuer. autocannon runs in a worker thread. For the create and read
 * comparisons the outbox dispatcher and payment sweeper are NOT started: they would compete with the
 * requests for the same two cores and the same pool, and the ceilings have no such competitor either. The
 * "deployed" part runs them (bench/support/as-deployed.ts); bench-relay measures the dispatcher alone.
 *
 * Then order creation with and without the retention purge deleting expired idempotency records in the
 * same process (issue 14, goal 6; bench/support/purge-cost.ts, BENCH_PURGE_ROWS, 0 skips it).
 *
 * Then the cost of tracing (issue 12): the same service in child processes, with tracing off and on at each
 * sampling ratio of BENCH_TRACE_RATIOS (default 1,0.1; parent-based), exporting OTLP to a local sink, in
 * BENCH_TRACE_ROUNDS short rounds (15 × 4 s) so the median of the pairs comes with a confidence interval.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import pg from 'pg';
import type { Queryable } from '../src/adapters/postgres/database.ts';
import { claimIdempotencyKey } from '../src/adapters/postgres/idempotency-store.ts';
import { findOrder, insertPlacedOrder } from '../src/adapters/postgres/order-repository.ts';
import { loadConfig } from '../src/config/config.ts';
import type { PlaceOrderRequest } from '../src/application/place-order.ts';
import { outboxEntriesFor } from '../src/outbox/outbox-entry.ts';
import { createServer } from '../src/server.ts';
import { createTokenVerifier } from '../src/adapters/identity/token-verifier.ts';
import { authEnvironment, TEST_AUDIENCE, TestIssuer } from '../src/testing/test-issuer.ts';
import { orderBody } from '../src/testing/test-server.ts';
import { benchServiceEnv } from './support/bench-service-env.ts';
import { claimsOnlyVerifier } from './support/claims-only-verifier.ts';
import {
  readBenchParts,
  readBenchSettings,
  readDeployedSettings,
  readListSettings,
  readReplicaCount,
  readTraceRatios,
  readTracingRounds,
} from './support/bench-settings.ts';
import type { Arm, ArmResult } from './support/alternating-runs.ts';
import { measureAlternately } from './support/alternating-runs.ts';
import { measureAsDeployed } from './support/as-deployed.ts';
import type { Verdict } from './support/goal-verdicts.ts';
import { formatVerdicts, verdictWithConfidence } from './support/goal-verdicts.ts';
import { measureListing } from './support/listing-run.ts';
import { LISTING_INDEX } from './support/order-listing.ts';
import { createPgbenchCeiling } from './support/pgbench-ceiling.ts';
import { createBenchmarkDatabase } from './support/benchmark-database.ts';
import { placedOrder } from './support/placed-order.ts';
import { reportPurgeCost } from './support/purge-cost.ts';
import { printFinalLoad, printReportHeader } from './support/machine-report.ts';
import { runClosedLoop } from './support/closed-loop.ts';
import { runHttpLoad } from './support/http-load.ts';
import { describeConfidence, figuresRow, fixed, formatTable, median } from './support/stats.ts';
import type { ReplicaFigures } from './support/replicas.ts';
import { measureReplicas } from './support/replicas.ts';
import { measureTracingCost } from './support/tracing-cost.ts';

/** Issue 14: order creation reaches this share of the physical ceiling, at this p99, at 32 clients. */
const GOAL_RATIO = 0.7;
const GOAL_P99_MS = 50;
/** Issue 14: an order needs at least three commits (placed, awaiting payment, paid). */
const COMMITS_PER_PAID_ORDER = 3;
/** Issue 14: GET by id reaches this share of findOrder through pg. */
const GOAL_READ_RATIO = 0.75;
/** Issue 14: a page of a customer's orders, p99. */
const GOAL_LIST_P99_MS = 20;
/** Verification may cost at most this share of order-creation throughput. */
const GOAL_VERIFICATION_COST = 0.05;
/** Issue 12: with tracing on, order creation keeps at least this share of its throughput. */
const GOAL_TRACING_RATIO = 0.9;

const settings = readBenchSettings();
const parts = readBenchParts();
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
    `${settings.durationSeconds} s × ${settings.repeats} runs (+${settings.warmupSeconds} s warm-up), ` +
    `parts ${[...parts].join(',')}`,
);

const bodyText = JSON.stringify(orderBody());
// What the service's route handler receives for that body.
const body = JSON.parse(bodyText) as PlaceOrderRequest;
let runNumber = 0;

/** POST /api/v1/orders for `durationSeconds`, each request with its own Idempotency-Key. */
const placeOrders = (
  url: string | readonly string[],
  durationSeconds: number,
  caller: { headers: Record<string, string>; bodyText: string } = { headers, bodyText },
) =>
  runHttpLoad({
    url,
    connections: settings.connections,
    durationSeconds,
    expectedStatus: 201,
    headers: caller.headers,
    request: {
      kind: 'create',
      body: caller.bodyText,
      keyPrefix: `bench-${++runNumber}-${randomUUID()}`,
    },
  });
/** The service: POST /api/v1/orders, each request with its own Idempotency-Key. */
const createAt = (url: string) => (durationSeconds: number) => placeOrders(url, durationSeconds);
const serviceCreate = createAt(baseUrl);

const placedOrderFor = (orderId: string) => placedOrder(body, orderId);

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
      const { order, response } = placedOrderFor(orderId);
      await insertPlacedOrder(ceilingDb, order, outboxEntriesFor(order, randomUUID), {
        key,
        response,
      });
    },
    { concurrency: settings.connections, durationMs: durationSeconds * 1000 },
  );
};

/** The physical ceiling: the minimal order transaction through pgbench (bench/support/pgbench-ceiling.ts). */
const PGBENCH_USER = 'pgbench-ceiling';
const sample = placedOrderFor(randomUUID());
const pgbench = await createPgbenchCeiling({
  databaseUrl: database.url,
  connections: settings.connections,
  threads: 2,
  order: {
    ...sample,
    // Its orders have no history row, which the service needs to read one: the read runs skip them.
    order: { ...sample.order, userId: PGBENCH_USER },
    outboxEntry: outboxEntriesFor(sample.order, randomUUID)[0],
  },
});

const readAt = (url: string) => (ids: readonly string[], durationSeconds: number) =>
  runHttpLoad({
    url,
    connections: settings.connections,
    durationSeconds,
    expectedStatus: 200,
    headers,
    request: { kind: 'read', paths: ids.map((id) => `/api/v1/orders/${id}`) },
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

/**
 * The same token through the service's verifier, in this process (keys cached after the first call):
 * once as the service runs it, remembering verified tokens, and once judging every call in full.
 */
const verifierSettings = {
  issuer: issuer.issuer,
  jwksUrl: issuer.jwksUrl,
  audience: TEST_AUDIENCE,
};
const verifier = createTokenVerifier(verifierSettings);
const fullVerifier = createTokenVerifier({ ...verifierSettings, verifiedTokensMax: 0 });

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

const runs = {
  repeats: settings.repeats,
  durationSeconds: settings.durationSeconds,
  warmupSeconds: settings.warmupSeconds,
};
const row = figuresRow;
const percent = (ratio: number) => `${fixed(100 * ratio)} %`;
/** The service's arm (the first) against `arm`: the ratio of the medians, and the median of the pairs. */
const ratioRows = (service: ArmResult, arm: ArmResult, against: string) => [
  [
    `service / ${against} (of medians)`,
    percent(service.figures.throughput / arm.figures.throughput),
  ],
  [`service / ${against} (median of pairs)`, percent(arm.pairedRatio)],
];
const TABLE_HEADER = ['measurement', 'ops/s', 'p50 ms', 'p99 ms', 'failures'];
const find = (results: readonly ArmResult[], name: string) =>
  results.find((result) => result.name === name);
const verdicts: Verdict[] = [];
const notMeasured = (goal: string, part: string): Verdict => ({
  goal,
  met: undefined,
  figures: `the ${part} part did not run (BENCH_PARTS)`,
});

try {
  // Order creation: the service against the same SQL through pg (what Node adds), the physical ceiling
  // (how far the design is from the hardware) and the claims-only service (what verification costs).
  const createArms: Arm[] = [{ name: 'service', run: serviceCreate }];
  if (parts.has('create'))
    createArms.push(
      { name: 'same SQL via pg', run: ceilingCreate },
      { name: 'pgbench ceiling', run: (seconds) => pgbench.run(seconds) },
    );
  if (parts.has('verification'))
    createArms.push({ name: 'claims only', run: createAt(unverifiedUrl) });
  const create =
    createArms.length > 1 ? await measureAlternately('create', createArms, runs) : undefined;
  const createService = create?.[0];
  const sameSql = find(create ?? [], 'same SQL via pg');
  const physical = find(create ?? [], 'pgbench ceiling');

  let read: ArmResult[] | undefined;
  if (parts.has('read') || parts.has('verification')) {
    // Orders to read: those the create runs placed, or a few seconds' worth placed now.
    if (!create) await serviceCreate(settings.warmupSeconds);
    const { rows } = await ceilingPool.query<{ id: string }>(
      'SELECT id FROM orders WHERE user_id <> $1 ORDER BY random() LIMIT 10000',
      [PGBENCH_USER],
    );
    const ids = rows.map((found) => found.id);
    const readArms: Arm[] = [{ name: 'service', run: (seconds) => serviceRead(ids, seconds) }];
    if (parts.has('read'))
      readArms.push({ name: 'findOrder via pg', run: (seconds) => ceilingRead(ids, seconds) });
    if (parts.has('verification'))
      readArms.push({
        name: 'claims only',
        run: (seconds) => readAt(unverifiedUrl)(ids, seconds),
      });
    read = await measureAlternately('read  ', readArms, runs);
  }
  const readService = read?.[0];
  const findOrderArm = find(read ?? [], 'findOrder via pg');

  console.log(
    `\nmedians of ${settings.repeats} runs, ${settings.connections} concurrent clients:\n`,
  );
  const table: string[][] = [];
  if (createService && sameSql && physical)
    table.push(
      row('POST /api/v1/orders (service)', createService.figures),
      row('claim + insert via pg (same SQL)', sameSql.figures),
      ...ratioRows(createService, sameSql, 'same SQL'),
      row(`pgbench ceiling (-c ${settings.connections} -j 2)`, physical.figures),
      ...ratioRows(createService, physical, 'pgbench ceiling'),
    );
  if (readService && findOrderArm)
    table.push(
      row('GET /api/v1/orders/{id} (service)', readService.figures),
      row('findOrder via pg (ceiling)', findOrderArm.figures),
      ...ratioRows(readService, findOrderArm, 'findOrder'),
    );
  if (table.length > 0) console.log(formatTable(TABLE_HEADER, table));
  // What each order costs the whole machine (service, PostgreSQL, load generator), and so the most the
  // machine's cores could give at that cost even if nothing else were waiting.
  const coresAllow = (arm: ArmResult) => (cpus().length * 1000) / arm.machineCoreMsPerOperation;
  for (const results of [create, read])
    if (results)
      console.log(
        `\nthe whole machine per operation (all processes, ${cpus().length} cores, median): ` +
          results
            .map(
              (arm) =>
                `${arm.name} ${fixed(arm.machineCoreMsPerOperation, 3)} core-ms (cores allow ≤ ${fixed(coresAllow(arm), 0)}/s)`,
            )
            .join(', '),
      );

  const createClaimsOnly = find(create ?? [], 'claims only');
  const readClaimsOnly = find(read ?? [], 'claims only');
  if (createService && readService && createClaimsOnly && readClaimsOnly) {
    // The cost of verification: verified against claims-only, alternately.
    const costOf = (claimsOnly: ArmResult) => 1 - claimsOnly.pairedRatio;
    const perVerification = await timePerCall(() =>
      fullVerifier.verify(headers.authorization.slice(7)),
    );
    const perRemembered = await timePerCall(() => verifier.verify(headers.authorization.slice(7)));
    const perDecode = await timePerCall(() =>
      claimsOnlyVerifier.verify(headers.authorization.slice(7)),
    );
    console.log(
      `\nthe cost of token verification (RS256 signature, iss/aud/exp checks; keys cached by kid):\n`,
    );
    console.log(
      formatTable(TABLE_HEADER, [
        row('POST /api/v1/orders, verified', createService.figures),
        row('POST /api/v1/orders, claims only', createClaimsOnly.figures),
        ['verification cost (median of pairs)', percent(costOf(createClaimsOnly))],
        row('GET /api/v1/orders/{id}, verified', readService.figures),
        row('GET /api/v1/orders/{id}, claims only', readClaimsOnly.figures),
        ['verification cost (median of pairs)', percent(costOf(readClaimsOnly))],
        ['one full verification, in process (median)', `${fixed(perVerification, 1)} µs`],
        ['one remembered token, in process (median)', `${fixed(perRemembered, 1)} µs`],
        ['one claims-only decode, in process (median)', `${fixed(perDecode, 1)} µs`],
        [
          'a full verification per created order, at the verified rate',
          `${fixed((100 * (perVerification - perDecode) * createService.figures.throughput) / 1e6, 2)} % of one core`,
        ],
      ]),
    );
    console.log(
      `\ngoal (verification costs order creation ≤ ${GOAL_VERIFICATION_COST * 100} %): ` +
        `${costOf(createClaimsOnly) <= GOAL_VERIFICATION_COST ? 'MET' : 'NOT MET'}; ` +
        `JWKS fetched ${issuer.server.jwksFetches} time(s) in the whole run (once per verifier: keys are cached)`,
    );
  }

  // Issue 14 goal 1 with more event loops: the same service as replicas, each a process of its own.
  let replicas: ReplicaFigures | undefined;
  if (parts.has('replicas')) {
    const count = readReplicaCount();
    console.log(
      `\nreplicas: order creation spread over ${count} service processes on the same database (each ` +
        `listening only, pool ${settings.poolMax}), against one of them alone and the pgbench ceiling\n`,
    );
    replicas = await measureReplicas({
      count,
      serviceEnv,
      load: (urls, seconds) => placeOrders(urls, seconds),
      ceiling: (seconds) => pgbench.run(seconds),
      runs,
    });
    const { together, alone, ceiling } = replicas;
    console.log(
      `\nmedians of ${settings.repeats} runs, ${settings.connections} concurrent clients in all:\n`,
    );
    console.log(
      formatTable(TABLE_HEADER, [
        row(together.name, together.figures),
        row(alone.name, alone.figures),
        [`${together.name} / 1 replica (median of pairs)`, percent(alone.pairedRatio)],
        row('pgbench ceiling', ceiling.figures),
        [`${together.name} / pgbench ceiling (median of pairs)`, percent(ceiling.pairedRatio)],
      ]),
    );
  }

  const createGoal = `order creation ≥ ${GOAL_RATIO * 100} % of the physical ceiling, p99 < ${GOAL_P99_MS} ms at ${settings.connections} clients`;
  if (createService && physical) {
    verdicts.push({
      goal: createGoal,
      met: physical.pairedRatio >= GOAL_RATIO && createService.figures.p99 < GOAL_P99_MS,
      figures:
        `${fixed(createService.figures.throughput)}/s = ${percent(physical.pairedRatio)} of ` +
        `${fixed(physical.figures.throughput)} tps (median of pairs), p99 ${fixed(createService.figures.p99)} ms; ` +
        `at ${fixed(createService.machineCoreMsPerOperation, 3)} core-ms per order this machine allows ` +
        `≤ ${percent(coresAllow(createService) / physical.figures.throughput)} of the ceiling` +
        (replicas
          ? `; ${replicas.together.name}: ${fixed(replicas.together.figures.throughput)}/s = ` +
            `${percent(replicas.ceiling.pairedRatio)}, p99 ${fixed(replicas.together.figures.p99)} ms`
          : ''),
    });
  } else verdicts.push(notMeasured(createGoal, 'create'));

  const deployedGoals = [
    `as deployed: create p99 < ${GOAL_P99_MS} ms at ${settings.connections} clients`,
    `as deployed: orders completed to PAID ≥ ${GOAL_RATIO} × ceiling ÷ ${COMMITS_PER_PAID_ORDER}`,
  ] as const;
  if (parts.has('deployed')) {
    // The ceiling the goal is relative to: from the create part, or measured here on its own.
    let ceiling = physical?.figures.throughput;
    if (ceiling === undefined) {
      await pgbench.run(settings.warmupSeconds);
      const alone: number[] = [];
      for (let run = 1; run <= settings.repeats; run += 1)
        alone.push((await pgbench.run(settings.durationSeconds)).throughput);
      ceiling = median(alone);
      console.log(`\npgbench ceiling alone: ${alone.map((tps) => fixed(tps)).join(', ')} tps`);
    }
    const { runs: deployedRuns, drainTimeoutSeconds } = readDeployedSettings();
    console.log(
      `\nas deployed: the service with its outbox dispatcher and payment sweeper (server.start()), ` +
        `simulated peers without latency, ${settings.connections} clients placing orders for ` +
        `${settings.durationSeconds} s, then until every order is PAID and the outbox is empty\n`,
    );
    const deployed = await measureAsDeployed({
      adminUrl: settings.adminUrl,
      serviceEnv,
      runs: deployedRuns,
      warmupSeconds: settings.warmupSeconds,
      durationSeconds: settings.durationSeconds,
      drainTimeoutSeconds,
      load: async (url, userId, seconds) =>
        placeOrders(url, seconds, {
          headers: { authorization: `Bearer ${await issuer.customer(userId)}` },
          bodyText: JSON.stringify(orderBody({ userId })),
        }),
      onRun: (run, result) =>
        console.log(
          `deployed run ${run}: created ${fixed(result.load.throughput)}/s p50 ${fixed(result.load.p50)} ` +
            `p99 ${fixed(result.load.p99)} ms failures ${result.load.failures}; ${result.created} orders, ` +
            `${result.paid} PAID after ${fixed(result.loadSeconds)} s load + ${fixed(result.drainSeconds)} s drain` +
            (result.completed
              ? ` = ${fixed(result.paidPerSecond)} paid orders/s`
              : ` — NOT COMPLETED (${result.deadEntries} dead outbox entries)`),
        ),
    });
    const p99 = median(deployed.map((result) => result.load.p99));
    const paidPerSecond = median(deployed.map((result) => result.paidPerSecond));
    const target = (GOAL_RATIO * ceiling) / COMMITS_PER_PAID_ORDER;
    if (deployed.some((result) => !result.completed)) process.exitCode = 1;
    verdicts.push(
      {
        goal: deployedGoals[0],
        met: p99 < GOAL_P99_MS,
        figures: `p99 ${fixed(p99)} ms at ${fixed(median(deployed.map((result) => result.load.throughput)))} created/s`,
      },
      {
        goal: deployedGoals[1],
        met: paidPerSecond >= target,
        figures:
          `${fixed(paidPerSecond)} paid orders/s; target ${fixed(target)}/s ` +
          `(ceiling ${fixed(ceiling)} tps); ${percent(paidPerSecond / target)} of target`,
      },
    );
  } else verdicts.push(...deployedGoals.map((goal) => notMeasured(goal, 'deployed')));

  const readGoal = `GET by id ≥ ${GOAL_READ_RATIO * 100} % of findOrder through pg`;
  if (readService && findOrderArm)
    verdicts.push({
      goal: readGoal,
      met: findOrderArm.pairedRatio >= GOAL_READ_RATIO,
      figures:
        `${fixed(readService.figures.throughput)}/s = ${percent(findOrderArm.pairedRatio)} of ` +
        `${fixed(findOrderArm.figures.throughput)}/s (median of pairs)`,
    });
  else verdicts.push(notMeasured(readGoal, 'read'));

  const listSettings = readListSettings();
  const listGoal = `list a customer's orders (page of 20, ${listSettings.userOrders} of theirs, ${listSettings.orders} in the table) p99 < ${GOAL_LIST_P99_MS} ms, on ${LISTING_INDEX}`;
  if (parts.has('list')) {
    const listing = await measureListing({
      adminUrl: settings.adminUrl,
      serviceEnv,
      ...listSettings,
      runs,
      issuer,
      load: (url, paths, authorization, seconds) =>
        runHttpLoad({
          url,
          connections: settings.connections,
          durationSeconds: seconds,
          expectedStatus: 200,
          headers: { authorization },
          request: { kind: 'read', paths },
        }),
    });
    if (!listing.usesIndex) process.exitCode = 1;
    const worst = Math.max(listing.firstPage.p99, listing.deepPages.p99);
    verdicts.push({
      goal: listGoal,
      met: worst < GOAL_LIST_P99_MS && listing.usesIndex,
      figures:
        `first page ${fixed(listing.firstPage.throughput)}/s p99 ${fixed(listing.firstPage.p99)} ms, ` +
        `deep pages ${fixed(listing.deepPages.throughput)}/s p99 ${fixed(listing.deepPages.p99)} ms; ` +
        `plan ${listing.usesIndex ? 'uses' : 'does NOT use'} ${LISTING_INDEX}`,
    });
  } else verdicts.push(notMeasured(listGoal, 'list'));

  // Issue 14 goal 6: order creation while the retention purge runs (BENCH_PURGE_ROWS=0 skips it).
  if (parts.has('purge'))
    await reportPurgeCost({
      ...settings,
      server,
      retention: config.retention,
      load: serviceCreate,
    });

  if (parts.has('tracing')) {
    const { rounds, seconds } = readTracingRounds();
    console.log(
      `\ntracing: order creation in child processes, off vs on at sampling ratios ${traceRatios.join(', ')}, ` +
        `${rounds} rounds × ${seconds} s\n`,
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
      repeats: rounds,
      durationSeconds: seconds,
      warmupSeconds: settings.warmupSeconds,
      load: (url, runSeconds) => createAt(url)(runSeconds),
      onRun: (round, variant, figures) =>
        console.log(
          `tracing run ${round}: ${variant.label.padEnd(22)} ${fixed(figures.throughput)}/s ` +
            `p50 ${fixed(figures.p50)} p99 ${fixed(figures.p99)} ms failures ${figures.failures}`,
        ),
    });
    console.log(`\nmedians of ${rounds} runs, ${settings.connections} concurrent clients:\n`);
    console.log(
      formatTable(
        [
          'POST /api/v1/orders',
          'ops/s',
          'p50 ms',
          'p99 ms',
          'failures',
          'vs off (pairs)',
          'confidence interval',
          'CPU ms/order',
          'OTLP kB/s',
        ],
        tracing.map(({ variant, figures, pairedRatio, cpuMsPerOrder, exportedKBPerSecond }) => [
          variant.label,
          fixed(figures.throughput),
          fixed(figures.p50),
          fixed(figures.p99),
          String(figures.failures),
          percent(pairedRatio.median),
          describeConfidence(pairedRatio),
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
          `${verdictWithConfidence(pairedRatio, GOAL_TRACING_RATIO)} — median of pairs ${percent(pairedRatio.median)}, ` +
          `${describeConfidence(pairedRatio)}`,
      );
  }

  console.log(`\n${formatVerdicts('issue 14 goals:', verdicts)}`);
  printFinalLoad();
} finally {
  await ceilingPool.end();
  await pgbench.close();
  await Promise.all([server.stop(), unverified.stop()]);
  await Promise.all([database.drop(), issuer.close()]);
}
