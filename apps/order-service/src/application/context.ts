import type { Logger } from 'pino';
import type { Transactional } from '../adapters/postgres/database.ts';
import type { Presence } from '../adapters/postgres/presence.ts';
import type { ServiceMetrics } from '../observability/metrics.ts';
import type { Peers } from './ports.ts';

/** What the use cases need; built once by the composition root (server.ts). */
export interface OrderContext {
  readonly db: Transactional;
  readonly peers: Peers;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
  readonly clock: () => Date;
  readonly newId: () => string;
  /** Tells the outbox dispatcher there is new work, so it need not wait for its next poll. */
  readonly outboxWritten: () => void;
  /** This process's presence, named on its idempotency claims. */
  readonly presence: Presence;
  /** Retries `task` with backoff until it succeeds or the service stops (background-retries.ts). */
  readonly retryInBackground: (what: string, task: () => Promise<void>) => void;
}
