/**
 * Start-up time (issue 14, goal 4): from spawning the real process to its "order-service ready" log line,
 * which main.ts writes once the API and /metrics listen (so /readyz answers from then on).
 *
 *   npx nx run order-service:bench-startup
 *   DATABASE_URL=postgres://… BENCH_STARTUP_RUNS=7 BENCH_STARTUP_CASES=postgres,embedded,instrumented,serve
 *
 * Cases: `node src/main.ts` on PostgreSQL (a fresh database, migrated by a first, unmeasured start); on the
 * embedded PGlite with a data directory a first, unmeasured start initialized; `node --import
 * ./src/instrument.ts src/main.ts` as `nx serve` runs it (tracing off); and `nx serve order-service` itself,
 * warm (Nx's cache and project graph made by the unmeasured first start; daemon off, as in CI), on the
 * same initialized embedded data directory. Every run listens on free ports and its development issuer
 * keeps its key in a temporary directory, so nothing collides with a service already running.
 *
 * Besides wall time it reports the CPU time the process and its descendants had used when it was ready
 * (all threads, from /proc): on the shared 2-core machine wall time mostly measures the other tenants, CPU time
 * hardly. BENCH_STARTUP_WORKSPACE runs another checkout of the repository (a copy of an earlier commit
 * with its node_modules) with this script, for before/after figures from the same session.
 * `nx serve` takes NX_DAEMON (default false) and NX_ISOLATE_PLUGINS from the caller's environment.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readBenchSettings } from './support/bench-settings.ts';
import { createBenchmarkDatabase } from './support/benchmark-database.ts';
import { printFinalLoad, printReportHeader } from './support/machine-report.ts';
import { fixed, formatTable, median } from './support/stats.ts';

const READY = 'order-service ready';
const WORKSPACE_DIR = resolvePath(
  process.env.BENCH_STARTUP_WORKSPACE || fileURLToPath(new URL('../../..', import.meta.url)),
);
const APP_DIR = join(WORKSPACE_DIR, 'apps/order-service');
/** The pinned Node 24 that runs this script (`npx`): the service must start with the same one. */
const NODE = process.execPath;
const START_TIMEOUT_MS = 60_000;

const settings = readBenchSettings();
const runs = Number(process.env.BENCH_STARTUP_RUNS ?? 7);
if (!Number.isInteger(runs) || runs < 1) throw new Error('BENCH_STARTUP_RUNS must be ≥ 1');

interface StartupCase {
  readonly name: string;
  readonly goalMs: number;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
}

const database = await createBenchmarkDatabase(settings.adminUrl);
const scratch = await mkdtemp(join(tmpdir(), 'order-service-startup-'));
const common: Record<string, string> = {
  NODE_ENV: 'development',
  PORT: '0',
  METRICS_PORT: '0',
  DEV_ISSUER_PORT: '0',
  DEV_ISSUER_DIR: join(scratch, 'dev-issuer'),
  LOG_LEVEL: 'info',
};
const postgres = { ...common, DATABASE_URL: database.url };
const embedded = { ...common, EMBEDDED_DB_DIR: join(scratch, 'pglite') };

const allCases: Record<string, StartupCase> = {
  postgres: {
    name: 'node src/main.ts, PostgreSQL',
    goalMs: 1500,
    command: NODE,
    args: ['src/main.ts'],
    cwd: APP_DIR,
    env: postgres,
  },
  embedded: {
    name: 'node src/main.ts, embedded (initialized)',
    goalMs: 2500,
    command: NODE,
    args: ['src/main.ts'],
    cwd: APP_DIR,
    env: embedded,
  },
  instrumented: {
    name: 'node --import instrument.ts, PostgreSQL',
    goalMs: 1500,
    command: NODE,
    args: ['--import', './src/instrument.ts', 'src/main.ts'],
    cwd: APP_DIR,
    env: postgres,
  },
  serve: {
    name: 'nx serve order-service (warm), embedded',
    goalMs: 3000,
    command: NODE,
    args: [join(WORKSPACE_DIR, 'node_modules/nx/dist/bin/nx.js'), 'serve', 'order-service'],
    cwd: WORKSPACE_DIR,
    env: {
      ...embedded,
      NX_DAEMON: process.env.NX_DAEMON ?? 'false',
      ...(process.env.NX_ISOLATE_PLUGINS
        ? { NX_ISOLATE_PLUGINS: process.env.NX_ISOLATE_PLUGINS }
        : {}),
      NX_TUI: 'false',
      NX_NO_CLOUD: 'true',
    },
  },
};
const cases = (process.env.BENCH_STARTUP_CASES ?? 'postgres,embedded,instrumented,serve')
  .split(',')
  .map((name) => {
    const found = allCases[name.trim()];
    if (!found) throw new Error(`BENCH_STARTUP_CASES: unknown case ${name}`);
    return found;
  });

printReportHeader(
  'start-up benchmark',
  database.description,
  `${runs} measured starts per case after one unmeasured start; time from spawn to "${READY}"; ` +
    `workspace ${WORKSPACE_DIR}`,
);

interface StartTime {
  readonly wallMs: number;
  /** User + system CPU of the process and its descendants (reaped ones too) at the ready line. */
  readonly cpuMs: number;
}

/**
 * Linux only. The CPU of `pid` and its descendants, found through their parent ids (`nx serve` runs the
 * service in a session of its own, so the process group would miss it). /proc/<pid>/stat fields utime,
 * stime, cutime and cstime (children already reaped) are in clock ticks, 100 per second.
 */
async function treeCpuMs(pid: number): Promise<number> {
  const processes = new Map<number, { parent: number; ticks: number }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    // The fields after the command name, which may itself contain spaces, ends with ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, field) => sum + Number(fields[field] ?? 0), 0);
    processes.set(Number(entry), { parent: Number(fields[1]), ticks });
  }
  let ticks = 0;
  const pending = [pid];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    ticks += processes.get(current)?.ticks ?? 0;
    for (const [child, { parent }] of processes) if (parent === current) pending.push(child);
  }
  return ticks * 10;
}

/**
 * Spawns one process, resolves with the time until its ready line, then stops it (SIGTERM to its
 * process group: `nx serve` runs the service as a grandchild) and waits until the whole group has exited,
 * so the next start finds the embedded data directory unlocked.
 */
async function timeOneStart(startupCase: StartupCase): Promise<StartTime> {
  const started = performance.now();
  const child = spawn(startupCase.command, startupCase.args, {
    cwd: startupCase.cwd,
    // PATH and HOME from this process; nothing else leaks in (no DATABASE_URL of the caller's shell).
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...startupCase.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const output: string[] = [];
  const remember = (line: string) => {
    output.push(line);
    if (output.length > 40) output.shift();
  };
  createInterface({ input: child.stderr }).on('line', remember);
  const lines = createInterface({ input: child.stdout });
  try {
    return await new Promise<StartTime>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready after ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      lines.on('line', (line) => {
        remember(line);
        if (line.includes(READY)) {
          clearTimeout(timer);
          const wallMs = performance.now() - started;
          void treeCpuMs(child.pid ?? 0).then((cpuMs) => resolve({ wallMs, cpuMs }), reject);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code} before it was ready:\n${output.join('\n')}`));
      });
    });
  } finally {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
    await waitForGroupToExit(child.pid);
  }
}

/** The group leader can exit before its children (Nx forwards the signal and returns). */
async function waitForGroupToExit(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  for (let waited = 0; waited < 15_000; waited += 50) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(-pid, 'SIGKILL');
}

const rows: string[][] = [];
try {
  for (const startupCase of cases) {
    await timeOneStart(startupCase); // migrates, initializes the data directory, warms Nx and the OS cache
    const starts: StartTime[] = [];
    for (let run = 0; run < runs; run += 1) starts.push(await timeOneStart(startupCase));
    const times = starts.map((start) => start.wallMs);
    const middle = median(times);
    rows.push([
      startupCase.name,
      fixed(middle, 0),
      fixed(Math.min(...times), 0),
      fixed(Math.max(...times), 0),
      fixed(median(starts.map((start) => start.cpuMs)), 0),
      `< ${startupCase.goalMs}`,
      middle < startupCase.goalMs ? 'met' : 'MISSED',
    ]);
    console.log(
      `${startupCase.name}: wall ${times.map((time) => fixed(time, 0)).join(', ')} ms; ` +
        `cpu ${starts.map((start) => fixed(start.cpuMs, 0)).join(', ')} ms`,
    );
  }
  console.log(
    `\n${formatTable(['case', 'median ms', 'min', 'max', 'cpu ms', 'goal ms', 'verdict'], rows)}\n`,
  );
  console.log(
    'goals are wall-clock medians; on a loaded machine compare the cpu column (median CPU at ready).',
  );
} finally {
  await rm(scratch, { recursive: true, force: true });
  await database.drop();
  printFinalLoad();
}
