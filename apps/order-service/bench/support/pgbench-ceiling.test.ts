import { describe, expect, it } from 'vitest';
import { samplePlacedOrder } from '../../src/testing/sample-order.ts';
import { ceilingScript, pgbenchFigures } from './pgbench-ceiling.ts';

// The end of what pgbench 15 prints for a 10 s run (its header lines left out).
const SUMMARY = `duration: 10 s
number of transactions actually processed: 4
number of failed transactions: 1 (20.000%)
latency average = 12.471 ms
initial connection time = 41.250 ms
tps = 2565.921996 (without initial connection time)
`;

// Per-transaction log lines: client, transaction, latency in µs, script, epoch s, µs; one failed.
const LOG = `0 1 9000 0 1796007214 672000
1 1 11000 0 1796007214 673000
0 2 failed 0 1796007214 674000
1 2 13000 0 1796007214 675000
0 3 40000 0 1796007214 676000
`;

describe('the pgbench ceiling', () => {
  it('reports pgbench’s throughput and failures, and latency percentiles from its transaction log', () => {
    expect(pgbenchFigures(SUMMARY, LOG)).toEqual({
      throughput: 2565.921996,
      p50: 11,
      p99: 40,
      failures: 1,
      operations: 4,
    });
  });

  it('gives pgbench no variable but the client id, whatever colons the payloads contain', () => {
    const order = samplePlacedOrder({ customerEmail: "o'hara:test@example.com" });
    const script = ceilingScript({
      order,
      response: { body: '{"createdAt":"2026-11-30T02:53:34.050Z"}' },
      outboxEntry: { event: { occurredAt: '2026-11-30T02:53:34.050Z', previousStatus: null } },
    });
    // `:name` is a pgbench variable; `::type` a cast.
    expect(script.match(/(?<!:):(?!:)[a-z_]\w*/gi)).toEqual([':client_id']);
    expect(script).toContain(String.raw`E'o''hara\x3atest@example.com'`);
  });
});
