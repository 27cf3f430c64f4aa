import type { RunFigures } from './stats.ts';
import { percentile } from './stats.ts';

/**
 * Drives `operation` from `concurrency` independent loops for `durationMs` — the same closed-loop model
 * autocannon uses for HTTP (each client sends its next request when the previous one answered), so the
 * direct-SQL ceiling and the service are measured alike.
 */
export async function runClosedLoop(
  operation: () => Promise<void>,
  options: { concurrency: number; durationMs: number },
): Promise<RunFigures> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        await operation();
        latencies.push(performance.now() - sent);
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return {
    throughput: latencies.length / elapsedSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
    operations: latencies.length,
  };
}
