import { cpus, loadavg } from 'node:os';

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

/** The opening lines of a benchmark report: what ran, where, and how busy the machine was. */
export function printReportHeader(title: string, database: string, settings: string): void {
  console.log(`${title} — ${new Date().toISOString()}`);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${load()}`,
  );
  console.log(`database: ${database}`);
  console.log(`settings: ${settings}\n`);
}

/** The closing line: a figure taken while the machine was busy with something else is worth less. */
export function printFinalLoad(): void {
  console.log(`load average at the end: ${load()}`);
}

/** CPU time of all the machine's cores so far, in ms: busy (anything but idle) and in all. */
export interface MachineCpu {
  readonly busyMs: number;
  readonly totalMs: number;
}

export function machineCpu(): MachineCpu {
  let busyMs = 0;
  let totalMs = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.irq + times.idle;
    totalMs += all;
    busyMs += all - times.idle;
  }
  return { busyMs, totalMs };
}

/**
 * What the whole machine did between two readings — the service or the ceiling, PostgreSQL, the load
 * generator and anything else running: the share of all cores that was busy, and busy core-ms per operation.
 * Near 100 % busy means the machine's cores, not any one process, are what limits throughput.
 */
export function machineCpuSince(before: MachineCpu, operations: number) {
  const now = machineCpu();
  const busyMs = now.busyMs - before.busyMs;
  return {
    busyShare: busyMs / (now.totalMs - before.totalMs),
    coreMsPerOperation: busyMs / operations,
  };
}
