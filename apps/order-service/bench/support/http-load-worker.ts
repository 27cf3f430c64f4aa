import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import type { Request } from 'autocannon';
import type { HttpLoadJob } from './http-load.ts';
import type { RunFigures } from './stats.ts';

/** The load-generator thread: one autocannon run as `workerData` describes, figures posted back. */
const job = workerData as HttpLoadJob;

let sequence = 0;
const request: Request =
  job.request.kind === 'create'
    ? (() => {
        const { body, keyPrefix } = job.request;
        return {
          method: 'POST',
          path: '/api/v1/orders',
          body,
          headers: { ...job.headers, 'content-type': 'application/json' },
          // A fresh Idempotency-Key per request: every request places a new order, none is a replay.
          setupRequest: (params) => ({
            ...params,
            headers: { ...params.headers, 'idempotency-key': `${keyPrefix}-${++sequence}` },
          }),
        };
      })()
    : (() => {
        const { paths } = job.request;
        return {
          method: 'GET',
          headers: { ...job.headers },
          setupRequest: (params) => ({ ...params, path: paths[++sequence % paths.length] ?? '/' }),
        };
      })();

const urls = [job.url].flat();
const options = {
  url: urls[0] ?? '',
  connections: job.connections,
  duration: job.durationSeconds,
  timeout: 10,
};
// Off the main thread autocannon hands back its raw histograms (as for its own workers): aggregate them,
// which also merges the latencies of several replicas into one distribution.
const raws = await Promise.all(
  urls.map((url, index) =>
    autocannon({
      ...options,
      url,
      // The connections, spread over the replicas (the first ones take the remainder).
      connections:
        Math.floor(job.connections / urls.length) + (index < job.connections % urls.length ? 1 : 0),
      requests: [request],
      skipAggregateResult: true,
    }),
  ),
);
const result = autocannon.aggregateResult(raws, options);

const expected = result.statusCodeStats[String(job.expectedStatus)]?.count ?? 0;
const figures: RunFigures = {
  throughput: expected / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  failures: result.errors + result.timeouts + (result.requests.total - expected),
  operations: expected,
};
parentPort?.postMessage(figures);
