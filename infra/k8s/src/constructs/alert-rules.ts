import { stringify } from 'yaml';
import { orderService } from '../service-contract.ts';
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
    // Each container start gives the pod's process a new start time. This needs only the service's
    // own metrics, not kube-state-metrics (which the AWS stack does not run).
    alert: 'OrderServicePodsRestarting',
    expr: `changes(process_start_time_seconds{${ns}}[15m]) > 2`,
    for: '0m',
    severity: 'warning',
    summary: 'An order service pod restarts repeatedly',
    description: 'Pod {{ $labels.pod }} restarted {{ $value }} times in 15 minutes.',
  },
  {
    // Without it, a dead scraper or a fully crashed service would silence every other alert.
    alert: 'OrderServiceMetricsMissing',
    expr: `absent(up{${ns},job="${orderService.name}"} == 1)`,
    for: '10m',
    severity: 'critical',
    summary: 'No order service pod has been scraped for 10 minutes',
    description:
      'Either no order service pod is up, or nothing scrapes them: every other alert is blind.',
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

/** Where an alert's runbook is: its section in docs/operations.md (GitHub's heading anchor). */
export function runbookUrl(alert: string): string {
  return `docs/operations.md#${alert.toLowerCase()}`;
}

/** An alerting rule as Prometheus rule files (and so AMP and the PrometheusRule CRD) spell it. */
export interface PrometheusAlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface PrometheusRuleGroup {
  readonly name: string;
  readonly rules: readonly PrometheusAlertingRule[];
}

/**
 * The one rendering of the alerts: the PrometheusRule's `spec.groups` (clusters with the Prometheus
 * Operator) and the AMP rule groups namespace (`orderServiceRulesFile`) are both this.
 */
export function orderServiceRuleGroups(envName: string): PrometheusRuleGroup[] {
  return [
    {
      name: orderService.name,
      rules: orderServiceAlertRules.map((rule) => ({
        alert: rule.alert,
        expr: rule.expr,
        for: rule.for,
        labels: { severity: rule.severity, service: orderService.name, env: envName },
        annotations: {
          summary: rule.summary,
          description: rule.description,
          runbook_url: runbookUrl(rule.alert),
        },
      })),
    },
  ];
}

/** A Prometheus rules file (`groups:` YAML), the format AMP rule groups namespaces take. */
export function orderServiceRulesFile(envName: string): string {
  return stringify({ groups: orderServiceRuleGroups(envName) }, { lineWidth: 0 });
}
