/** Small statistics for benchmark figures: percentiles of latency samples and medians of repeated runs. */

/** The nearest-rank percentile (0–100) of `samples`; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/**
 * The median (of an even count, the mean of the middle two); repeated runs on a shared, noisy machine are
 * summarised by it rather than the mean.
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  if (sorted.length % 2 === 1) return sorted[Math.floor(middle)] ?? Number.NaN;
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** A median with the range that holds the true median at the stated confidence. */
export interface MedianEstimate {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** The confidence the range actually has (order statistics give only certain levels), e.g. 0.965. */
  readonly confidence: number;
}

/**
 * The median of `values` and its distribution-free confidence interval: the k-th smallest and k-th
 * largest value, with k the largest rank such that the chance of k or fewer values falling below the true
 * median (Binomial(n, ½)) stays within (1 − level) / 2. It assumes nothing about how the values are
 * spread — right for paired ratios on a noisy machine. Written here because it is a dozen lines of
 * textbook statistics (Conover, "Practical Nonparametric Statistics", 3.2). With fewer than 6 values no
 * interval reaches 95 %: low and high are then NaN.
 */
export function medianWithConfidence(values: readonly number[], level = 0.95): MedianEstimate {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // below[j]: chance that at most j of the n values fall below the true median.
  const below: number[] = [];
  let coefficient = 1;
  let cumulative = 0;
  for (let j = 0; j <= n; j += 1) {
    cumulative += coefficient / 2 ** n;
    below.push(cumulative);
    coefficient = (coefficient * (n - j)) / (j + 1);
  }
  let k = 0;
  while ((below[k] ?? 1) <= (1 - level) / 2) k += 1;
  // k values below the median are allowed with chance below[k - 1] per side.
  const tail = k === 0 ? Number.NaN : (below[k - 1] ?? Number.NaN);
  return {
    median: median(sorted),
    low: k === 0 ? Number.NaN : (sorted[k - 1] ?? Number.NaN),
    high: k === 0 ? Number.NaN : (sorted[n - k] ?? Number.NaN),
    confidence: 1 - 2 * tail,
  };
}

/** One measured run: completed operations per second and latency percentiles in milliseconds. */
export interface RunFigures {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  /** Failed operations: transport errors, timeouts and (for HTTP) responses other than the expected 2xx. */
  readonly failures: number;
  readonly operations: number;
}

/** The median of each figure over repeated runs (each figure separately, as is usual for benchmarks). */
export function medianOf(runs: readonly RunFigures[]): RunFigures {
  return {
    throughput: median(runs.map((run) => run.throughput)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    failures: runs.reduce((total, run) => total + run.failures, 0),
    operations: runs.reduce((total, run) => total + run.operations, 0),
  };
}

/** A plain-text table with right-aligned columns (numbers line up in a terminal and in Markdown code). */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

export const fixed = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toFixed(digits) : '-';

/** A ratio's confidence interval in percent: `89.0–95.8 % (96.5 % CI)`. */
export const describeConfidence = ({ low, high, confidence }: MedianEstimate) =>
  Number.isFinite(low)
    ? `${fixed(100 * low)}–${fixed(100 * high)} % (${fixed(100 * confidence)} % CI)`
    : 'too few rounds for a CI';

/** A row of the figures tables: name, throughput, p50, p99, failures. */
export const figuresRow = (name: string, figures: RunFigures) => [
  name,
  fixed(figures.throughput),
  fixed(figures.p50),
  fixed(figures.p99),
  String(figures.failures),
];
