import { namespaceName } from './labels.ts';

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'critical' | 'warning';
  readonly summary: string;
  readonly description: string;
}

const ns = `namespace="${namespaceName}"`;

/**
 * The order service alerts. Gauges about the database (outbox, overdue orders) are reported by
 * every pod with the same value, so they are aggregated with max(), never sum().
 * Each alert has a section in docs/operations.md named after it.
 */
export const orderServiceAlertRules: readonly AlertRule[] = [
  {
    alert: 'OrderServiceHighErrorRate',
    expr: `sum(rate(http_request_duration_seconds_count{${ns},status_code=~"5.."}[5m])) / sum(rate(http_request_duration_seconds_count{${ns}}[5m])) > 0.05`,
    for: '5m',
    severity: 'critical',
    summary: 'More than 5 % of order service requests fail with 5xx',
    description:
      '{{ $value | humanizePercentage }} of requests returned 5xx over the last 5 minutes.',
  },
  {
    alert: 'OrderServiceHighLatencyP99',
    expr: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${ns}}[5m]))) > 1`,
    for: '10m',
    severity: 'warning',
    summary: 'Order service p99 latency above 1 s',
    description: 'p99 request latency is {{ $value | humanizeDuration }}.',
  },
  {
    alert: 'OrderServiceOutboxBacklog',
    expr: `max(order_service_outbox_backlog{${ns}}) > 1000`,
    for: '10m',
    severity: 'warning',
    summary: 'Order events are piling up in the outbox',
    description: '{{ $value }} outbox rows wait for publication.',
  },
  {
    alert: 'OrderServiceOutboxStale',
    expr: `max(order_service_outbox_oldest_age_seconds{${ns}}) > 300`,
    for: '5m',
    severity: 'critical',
    summary: 'The oldest unpublished order event is older than 5 minutes',
    description:
      'Oldest outbox row is {{ $value | humanizeDuration }} old: the event bus is not receiving.',
  },
  {
    alert: 'OrderServiceOutboxDeadRows',
    expr: `max(order_service_outbox_dead{${ns}}) > 0`,
    for: '1m',
    severity: 'critical',
    summary: 'Order events were given up after the maximum attempts',
    description: '{{ $value }} outbox rows are dead; downstream systems miss these events.',
  },
  {
    alert: 'OrderServiceOrdersStuckAwaitingPayment',
    expr: `max(order_service_orders_awaiting_payment_overdue{${ns}}) > 0`,
    for: '15m',
    severity: 'warning',
    summary: 'Orders stay in AwaitingPayment past the payment timeout',
    description:
      '{{ $value }} orders are overdue: the expiry job or payment callbacks are not working.',
  },
  {
    alert: 'OrderServiceDbPoolSaturated',
    expr: `(sum(order_service_db_pool_in_use{${ns}}) / sum(order_service_db_pool_max{${ns}}) > 0.9) or (sum(order_service_db_pool_waiting{${ns}}) > 0)`,
    for: '10m',
    severity: 'warning',
    summary: 'Order service database pools are saturated',
    description: 'Pool usage stays above 90 % or requests wait for a connection.',
  },
  {
    alert: 'OrderServicePodsRestarting',
    expr: `increase(kube_pod_container_status_restarts_total{${ns},container="order-service"}[15m]) > 2`,
    for: '0m',
    severity: 'warning',
    summary: 'An order service pod restarts repeatedly',
    description: 'Pod {{ $labels.pod }} restarted {{ $value }} times in 15 minutes.',
  },
  {
    alert: 'OrderServicePeerCircuitOpen',
    expr: `max by (peer) (order_service_peer_circuit_open{${ns}}) == 1`,
    for: '5m',
    severity: 'warning',
    summary: 'The circuit breaker to a peer service is open',
    description: 'Calls to {{ $labels.peer }} are short-circuited.',
  },
];
