import { machineCpu, machineCpuSince } from './machine-report.ts';
import type { RunFigures } from './stats.ts';
import { fixed, median, medianOf } from './stats.ts';

/** One side of a comparison: the service, a ceiling, or a control arm. */
export interface Arm {
  readonly name: string;
  run(durationSeconds: number): Promise<RunFigures>;
}

export interface ArmResult {
  readonly name: string;
  /** The median of each figure over the runs. */
  readonly figures: RunFigures;
  /** Median over the runs of the whole machine's busy core-ms per operation (every process, all cores). */
  readonly machineCoreMsPerOperation: number;
  /** Median over the rounds of (first arm's throughput ÷ this arm's) in the same round; 1 for the first. */
  readonly pairedRatio: number;
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
 * Warm-up of every arm, then the arms in turn, round after round, so slow phases of the shared machine
 * (and the growing tables) fall on all of them alike instead of on whichever ran last. Each arm is compared
 * with the first (the service) of the same round: the median of those paired ratios is less sensitive to
 * the machine's slow and fast phases than the ratio of the two medians.
 */
export async function measureAlternately(
  label: string,
  arms: readonly Arm[],
  options: { repeats: number; durationSeconds: number; warmupSeconds: number },
): Promise<ArmResult[]> {
  for (const arm of arms) await arm.run(options.warmupSeconds);
  const runs = arms.map(() => [] as RunFigures[]);
  const coreMs = arms.map(() => [] as number[]);
  for (let round = 1; round <= options.repeats; round += 1) {
    const parts: string[] = [];
    for (const [index, arm] of arms.entries()) {
      const cpuBefore = machineCpu();
      const [figures, busy] = await withMainThreadLoad(() => arm.run(options.durationSeconds));
      const machine = machineCpuSince(cpuBefore, figures.operations);
      runs[index]?.push(figures);
      coreMs[index]?.push(machine.coreMsPerOperation);
      parts.push(
        `${arm.name} ${fixed(figures.throughput)}/s p50 ${fixed(figures.p50)} p99 ${fixed(figures.p99)} ms` +
          ` failures ${figures.failures} main thread ${fixed(100 * busy, 0)} % busy,` +
          ` machine ${fixed(100 * machine.busyShare, 0)} % busy, ${fixed(machine.coreMsPerOperation, 3)} core-ms/op`,
      );
    }
    console.log(`${label} run ${round}: ${parts.join(' | ')}`);
  }
  const first = runs[0] ?? [];
  return arms.map((arm, index) => {
    const armRuns = runs[index] ?? [];
    return {
      name: arm.name,
      figures: medianOf(armRuns),
      machineCoreMsPerOperation: median(coreMs[index] ?? []),
      pairedRatio: median(
        armRuns.map((run, round) => (first[round]?.throughput ?? Number.NaN) / run.throughput),
      ),
    };
  });
}
