import type { ArmResult } from './alternating-runs.ts';
import { measureAlternately } from './alternating-runs.ts';
import { forkService } from './service-child.ts';
import type { RunFigures } from './stats.ts';

export interface ReplicaFigures {
  /** The replicas together, one service process alone, the ceiling: medians and paired ratios. */
  readonly together: ArmResult;
  readonly alone: ArmResult;
  readonly ceiling: ArmResult;
}

/**
 * Order creation spread over `count` service processes on the same database — replicas, as the Deployment
 * runs them behind the load balancer — against one such process and the physical ceiling, round after
 * round. It tells whether the design scales out (nothing shared but PostgreSQL) and how close replicas come
 * to the ceiling on this machine, where they share its cores with PostgreSQL and the load generator.
 */
export async function measureReplicas(options: {
  count: number;
  serviceEnv: Record<string, string>;
  /** Places orders at one service or spreads the clients over several, for `seconds`. */
  load: (url: string | readonly string[], seconds: number) => Promise<RunFigures>;
  ceiling: (seconds: number) => Promise<RunFigures>;
  runs: { repeats: number; durationSeconds: number; warmupSeconds: number };
}): Promise<ReplicaFigures> {
  const replicas = await Promise.all(
    Array.from({ length: options.count }, (_, index) =>
      forkService({ label: `replica ${index + 1}`, env: options.serviceEnv }),
    ),
  );
  try {
    const urls = replicas.map((replica) => replica.url);
    const [together, alone, ceiling] = await measureAlternately(
      'replicas',
      [
        { name: `${options.count} replicas`, run: (seconds) => options.load(urls, seconds) },
        { name: '1 replica', run: (seconds) => options.load(urls.slice(0, 1), seconds) },
        { name: 'pgbench ceiling', run: options.ceiling },
      ],
      options.runs,
    );
    if (!together || !alone || !ceiling) throw new Error('measureAlternately lost an arm');
    return { together, alone, ceiling };
  } finally {
    await Promise.all(replicas.map((replica) => replica.stop()));
  }
}
