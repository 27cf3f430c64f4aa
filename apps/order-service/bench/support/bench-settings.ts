/**
 * Benchmark knobs, from the environment so the Nx target needs no arguments. The defaults keep one run of
 * each benchmark under about three minutes on the shared 2-core machine.
 */
export interface BenchSettings {
  /** Where to create the fresh benchmark database (a server, not the embedded PGlite). */
  readonly adminUrl: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  readonly repeats: number;
  readonly poolMax: number;
}

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';

function positiveInteger(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got "${text}"`);
  }
  return value;
}

export function readBenchSettings(
  defaults: Partial<Omit<BenchSettings, 'adminUrl'>> = {},
): BenchSettings {
  return {
    adminUrl: process.env.DATABASE_URL || LOCAL_POSTGRES,
    connections: positiveInteger('BENCH_CONNECTIONS', defaults.connections ?? 32),
    durationSeconds: positiveInteger('BENCH_DURATION_S', defaults.durationSeconds ?? 10),
    warmupSeconds: positiveInteger('BENCH_WARMUP_S', defaults.warmupSeconds ?? 2),
    repeats: positiveInteger('BENCH_REPEATS', defaults.repeats ?? 3),
    poolMax: positiveInteger('DATABASE_POOL_MAX', defaults.poolMax ?? 10),
  };
}

/** BENCH_TRACE_RATIOS: the sampling ratios the tracing comparison runs with tracing on (default 1,0.1). */
export function readTraceRatios(): number[] {
  const text = process.env.BENCH_TRACE_RATIOS || '1,0.1';
  const ratios = text.split(',').map((part) => Number(part.trim()));
  if (ratios.some((ratio) => !Number.isFinite(ratio) || ratio < 0 || ratio > 1))
    throw new Error(
      `BENCH_TRACE_RATIOS must be ratios between 0 and 1, such as 1,0.1, got "${text}"`,
    );
  return ratios;
}

/**
 * BENCH_TRACE_ROUNDS × BENCH_TRACE_RUN_S (default 15 × 4 s): the tracing comparison's rounds. Its effect is
 * a few percent, smaller than the shared machine's drift over a 10-second run, so it takes many short runs
 * side by side rather than a few long ones: 15 pairs give the median a 96.5 % confidence interval.
 */
export function readTracingRounds(): { rounds: number; seconds: number } {
  return {
    rounds: positiveInteger('BENCH_TRACE_ROUNDS', 15),
    seconds: positiveInteger('BENCH_TRACE_RUN_S', 4),
  };
}

/** BENCH_REPLICAS: how many service processes the replicas part spreads order creation over (default 2). */
export function readReplicaCount(): number {
  const count = positiveInteger('BENCH_REPLICAS', 2);
  if (count < 2) throw new Error(`BENCH_REPLICAS must be at least 2, got "${count}"`);
  return count;
}

/** The parts of `bench`, in the order it runs them. */
export const BENCH_PARTS = [
  'create',
  'replicas',
  'read',
  'verification',
  'deployed',
  'list',
  'purge',
  'tracing',
] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

/**
 * What runs without BENCH_PARTS: issue 14's measurements and verification's cost (10–13 minutes). The
 * tracing comparison (issue 12, about 4 minutes more) runs when named, or with BENCH_PARTS=all.
 */
const DEFAULT_PARTS: readonly BenchPart[] = BENCH_PARTS.filter((part) => part !== 'tracing');

/** BENCH_PARTS: a comma-separated choice of the parts to run, or `all`. */
export function readBenchParts(): ReadonlySet<BenchPart> {
  const text = process.env.BENCH_PARTS || DEFAULT_PARTS.join(',');
  if (text.trim() === 'all') return new Set(BENCH_PARTS);
  const chosen = text.split(',').map((part) => part.trim());
  const unknown = chosen.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
  if (unknown.length > 0 || chosen.length === 0)
    throw new Error(
      `BENCH_PARTS must be "all" or list some of ${BENCH_PARTS.join(',')}, got "${text}"`,
    );
  return new Set(chosen as BenchPart[]);
}

/** The listing part (issue 14, goal 3): how big a table, how many orders of the listed user. */
export interface ListSettings {
  readonly orders: number;
  readonly userOrders: number;
}

export function readListSettings(): ListSettings {
  const orders = positiveInteger('BENCH_LIST_ORDERS', 1_000_000);
  const userOrders = positiveInteger('BENCH_LIST_USER_ORDERS', 10_000);
  if (userOrders > orders)
    throw new Error(
      `BENCH_LIST_USER_ORDERS (${userOrders}) must not exceed BENCH_LIST_ORDERS (${orders})`,
    );
  return { orders, userOrders };
}

/** The as-deployed part (issue 14, goal 2): measured runs, and how long to wait for the last order's payment. */
export function readDeployedSettings() {
  return {
    runs: positiveInteger('BENCH_DEPLOYED_RUNS', 1),
    drainTimeoutSeconds: positiveInteger('BENCH_DRAIN_TIMEOUT_S', 300),
  };
}
