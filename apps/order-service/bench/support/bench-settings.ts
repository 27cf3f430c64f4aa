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
