import { Counter, Gauge, Histogram, collectDefaultMetrics } from 'prom-client';
import type { Registry } from 'prom-client';
import type { Database } from '../adapters/postgres/database.ts';
import { outboxHealth } from '../adapters/postgres/outbox-repository.ts';
import type { OutboxHealth } from '../adapters/postgres/outbox-repository.ts';
import { cachedFor } from './cached-for.ts';

/** Every metric the service exports (names are what alerts and dashboards in infra/k8s rely on). */
export interface ServiceMetrics {
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly ordersCreated: Counter;
  readonly transitions: Counter<'from' | 'to'>;
  readonly paymentMismatches: Counter;
  readonly outboxProcessed: Counter<'kind' | 'outcome'>;
  readonly paymentChecks: Counter<'outcome'>;
  readonly retentionPurged: Counter<'table'>;
  readonly retentionRuns: Counter<'outcome'>;
}

/**
 * Registers the service's metrics on `registry`. Gauges that describe the database (outbox backlog, pool)
 * are computed when Prometheus scrapes, so they are true across replicas and cost nothing in between.
 */
export function createMetrics(
  registry: Registry,
  sources: {
    db: Database;
    ordersAwaitingPaymentOverdue: () => Promise<number>;
  },
): ServiceMetrics {
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // The three outbox gauges share one query per scrape.
  const currentHealth = cachedFor(1_000, () => outboxHealth(sources.db));

  const outboxGauge = (name: string, help: string, pick: (health: OutboxHealth) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.set(pick(await currentHealth()));
      },
    });
  outboxGauge(
    'order_service_outbox_backlog',
    'Outbox entries waiting to be processed.',
    (h) => h.backlog,
  );
  outboxGauge(
    'order_service_outbox_oldest_age_seconds',
    'Age of the oldest waiting outbox entry.',
    (h) => h.oldestAgeSeconds,
  );
  outboxGauge(
    'order_service_outbox_dead',
    'Outbox entries given up after the maximum attempts.',
    (h) => h.dead,
  );

  new Gauge({
    name: 'order_service_orders_awaiting_payment_overdue',
    help: 'Orders waiting for their payment outcome longer than PAYMENT_TIMEOUT.',
    registers,
    async collect() {
      this.set(await sources.ordersAwaitingPaymentOverdue());
    },
  });

  const poolGauge = (
    name: string,
    help: string,
    pick: (stats: ReturnType<Database['stats']>) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        this.set(pick(sources.db.stats()));
      },
    });
  poolGauge('order_service_db_pool_in_use', 'Database connections checked out.', (s) => s.inUse);
  poolGauge(
    'order_service_db_pool_waiting',
    'Queries waiting for a database connection.',
    (s) => s.waiting,
  );
  poolGauge('order_service_db_pool_max', 'Size limit of the database pool.', (s) => s.max);

  return {
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by route and status.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    ordersCreated: new Counter({
      name: 'order_service_orders_created_total',
      help: 'Orders placed.',
      registers,
    }),
    transitions: new Counter({
      name: 'order_service_order_transitions_total',
      help: 'Order status changes.',
      labelNames: ['from', 'to'],
      registers,
    }),
    paymentMismatches: new Counter({
      name: 'order_service_payment_mismatches_total',
      help: 'Payment callbacks refused because amount, currency or payment id did not match the order.',
      registers,
    }),
    outboxProcessed: new Counter({
      name: 'order_service_outbox_processed_total',
      help: 'Outbox entries processed, by kind and outcome (done, retry, dead).',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
    paymentChecks: new Counter({
      name: 'order_service_payment_checks_total',
      help: 'Overdue payments checked with the payment service, by outcome (paid, failed, unknown, cancelled, unreachable, unresolved).',
      labelNames: ['outcome'],
      registers,
    }),
    retentionPurged: new Counter({
      name: 'order_service_retention_purged_rows_total',
      help: 'Expired rows deleted by the retention purge, by table (idempotency_keys, processed_messages).',
      labelNames: ['table'],
      registers,
    }),
    retentionRuns: new Counter({
      name: 'order_service_retention_purge_runs_total',
      help: 'Retention purge runs, by outcome (done; skipped: another replica held the lock; failed).',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
