/** Small statistics for benchmark figures: percentiles of latency samples and medians of repeated runs. */

/** The nearest-rank percentile (0–100) of `samples`; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** The median; repeated runs on a shared, noisy machine are summarised by it rather than the mean. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
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

/** A row of the figures tables: name, throughput, p50, p99, failures. */
export const figuresRow = (name: string, figures: RunFigures) => [
  name,
  fixed(figures.throughput),
  fixed(figures.p50),
  fixed(figures.p99),
  String(figures.failures),
];
