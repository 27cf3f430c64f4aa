/**
 * Where the service's per-request CPU goes (issue 14): the benchmark's service (in process, workers not
 * started, real RS256 tokens) under the create load and then the read load, with V8's sampling profiler
 * on the main thread for each phase. Prints the main thread's busy time per request and the functions
 * and packages with the most self time; writes the .cpuprofile files for Chrome DevTools / speedscope.
 *
 *   cd apps/order-service && node bench/profile-hot-path.ts   (BENCH_DURATION_S, BENCH_CONNECTIONS …)
 *
 * A profile, not a benchmark: throughput is what the shared machine allows, the shares are what to fix.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import type { Profiler } from 'node:inspector';
import pg from 'pg';
import { loadConfig } from '../src/config/config.ts';
import { createServer } from '../src/server.ts';
import { authEnvironment, TestIssuer } from '../src/testing/test-issuer.ts';
import { orderBody } from '../src/testing/test-server.ts';
import { benchServiceEnv } from './support/bench-service-env.ts';
import { readBenchSettings } from './support/bench-settings.ts';
import { createBenchmarkDatabase } from './support/benchmark-database.ts';
import { runHttpLoad } from './support/http-load.ts';
import type { RunFigures } from './support/stats.ts';

const settings = readBenchSettings({ durationSeconds: 10 });
const database = await createBenchmarkDatabase(settings.adminUrl);
const issuer = await TestIssuer.start();
const server = await createServer(
  loadConfig({ ...benchServiceEnv(database.url, settings.poolMax), ...authEnvironment(issuer) }),
);
const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
const headers = { authorization: `Bearer ${await issuer.customer(orderBody().userId)}` };
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });

async function profiled(label: string, load: () => Promise<RunFigures>): Promise<void> {
  await load(); // warm-up: JIT, pool, statement preparation
  await session.post('Profiler.start');
  const before = performance.eventLoopUtilization();
  // CPU time of this thread only (not autocannon's worker): steadier than busy time on a shared machine.
  const cpuBefore = process.threadCpuUsage();
  const started = performance.now();
  const figures = await load();
  const wallMs = performance.now() - started;
  const busy = performance.eventLoopUtilization(before).utilization;
  const cpu = process.threadCpuUsage(cpuBefore);
  const { profile } = await session.post('Profiler.stop');
  await writeFile(`/tmp/hot-path-${label}.cpuprofile`, JSON.stringify(profile));
  const busyMicrosPerRequest = (busy * wallMs * 1000) / figures.operations;
  console.log(
    `\n${label}: ${figures.throughput.toFixed(0)}/s p50 ${figures.p50} p99 ${figures.p99} ms, ` +
      `main thread ${(busy * 100).toFixed(0)} % busy = ${busyMicrosPerRequest.toFixed(0)} µs per request, ` +
      `CPU ${((cpu.user + cpu.system) / figures.operations).toFixed(0)} µs per request ` +
      `(profile: /tmp/hot-path-${label}.cpuprofile)`,
  );
  summarize(profile);
}

/** Self time by function and by package/area, as shares of the samples taken while not idle. */
function summarize(profile: Profiler.Profile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfSamples = new Map<number, number>();
  for (const id of profile.samples ?? []) selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busySamples = 0;
  for (const [id, count] of selfSamples) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
    busySamples += count;
    const where = frame.url.replace(/^file:\/\/.*?\/(node_modules|apps|libs)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
    byArea.set(areaOf(frame), (byArea.get(areaOf(frame)) ?? 0) + count);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([name, count]) => `  ${((count / busySamples) * 100).toFixed(1).padStart(5)} %  ${name}`,
      )
      .join('\n');
  console.log(`self time by area (of ${busySamples} busy samples):\n${top(byArea, 25)}`);
  console.log(`self time by function:\n${top(byFunction, 30)}`);
}

function areaOf(frame: Profiler.ProfileNode['callFrame']): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (modules) return modules[1] ?? '';
  const own = /\/(apps|libs)\/(.*)$/.exec(frame.url);
  if (own) return own[2] ?? '';
  if (frame.url.startsWith('node:')) return frame.url;
  return frame.url === '' ? `(native) ${frame.functionName}` : frame.url;
}

try {
  await profiled('create', () =>
    runHttpLoad({
      url,
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      expectedStatus: 201,
      headers,
      request: { kind: 'create', body: JSON.stringify(orderBody()), keyPrefix: randomUUID() },
    }),
  );
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM orders LIMIT 10000');
  await pool.end();
  const created = rows.map((row) => row.id);
  await profiled('read', () =>
    runHttpLoad({
      url,
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      expectedStatus: 200,
      headers,
      request: { kind: 'read', paths: created.map((id) => `/api/v1/orders/${id}`) },
    }),
  );
} finally {
  session.disconnect();
  await server.stop();
  await Promise.all([database.drop(), issuer.close()]);
}
