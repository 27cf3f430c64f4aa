import type { MedianEstimate } from './stats.ts';

/** A goal of the issue the benchmark measures, and whether this run met it. */
export interface Verdict {
  readonly goal: string;
  /** Undefined: the part that measures it did not run (BENCH_PARTS) or could not finish. */
  readonly met: boolean | undefined;
  /** The figures the verdict rests on, measured in this run. */
  readonly figures: string;
}

const word = (met: boolean | undefined) =>
  met === undefined ? 'NOT MEASURED' : met ? 'MET' : 'NOT MET';

/** The closing verdicts, one line per goal: MET / NOT MET / NOT MEASURED, then the figures. */
export function formatVerdicts(title: string, verdicts: readonly Verdict[]): string {
  const width = Math.max(...verdicts.map((verdict) => word(verdict.met).length));
  return [
    title,
    ...verdicts.map(
      (verdict) => `  ${word(verdict.met).padEnd(width)}  ${verdict.goal} — ${verdict.figures}`,
    ),
  ].join('\n');
}

/**
 * A ratio goal judged with its confidence interval: MET or NOT MET only when the whole interval lies on
 * one side of `atLeast`, ON THE LINE when it straddles it; with too few runs for an interval, the median
 * alone decides and the word says so.
 */
export function verdictWithConfidence(estimate: MedianEstimate, atLeast: number): string {
  if (!Number.isFinite(estimate.low))
    return estimate.median >= atLeast ? 'MET (median only)' : 'NOT MET (median only)';
  if (estimate.low >= atLeast) return 'MET';
  if (estimate.high < atLeast) return 'NOT MET';
  return 'ON THE LINE';
}
