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
