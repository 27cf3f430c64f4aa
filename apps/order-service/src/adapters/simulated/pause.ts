import { setTimeout as sleep } from 'node:timers/promises';

/** Simulated network latency; no timer at all for 0 so the hot path stays synchronous-fast. */
export async function pause(ms: number): Promise<void> {
  if (ms > 0) await sleep(ms);
}
