import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthChart } from '../testing/synth-chart.ts';
import { parse } from 'yaml';
import { orderServiceAlertRules, orderServiceRulesFile, runbookUrl } from './alert-rules.ts';

/** Metrics the order service exports (service facts). */
const knownMetrics = new Set([
  'http_request_duration_seconds_count',
  'http_request_duration_seconds_bucket',
  'order_service_outbox_backlog',
  'order_service_outbox_oldest_age_seconds',
  'order_service_outbox_dead',
  'order_service_orders_awaiting_payment_overdue',
  'order_service_db_pool_in_use',
  'order_service_db_pool_waiting',
  'order_service_db_pool_max',
  'order_service_peer_circuit_open',
  // prom-client's default process metrics, and the scraper's own per-target series.
  'process_start_time_seconds',
  'up',
]);

const promqlWords = new Set([
  'sum',
  'rate',
  'by',
  'le',
  'max',
  'or',
  'increase',
  'histogram_quantile',
  'changes',
  'absent',
]);

function metricsIn(expr: string): string[] {
  const withoutLabels = expr
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const words = withoutLabels.match(/[a-z_][a-z0-9_]*/g) ?? [];
  return words.filter((word) => !promqlWords.has(word));
}

describe('order service alerts', () => {
  it('cover what on-call must hear about', () => {
    const names = orderServiceAlertRules.map((rule) => rule.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'OrderServiceHighErrorRate',
        'OrderServiceHighLatencyP99',
        'OrderServiceOutboxBacklog',
        'OrderServiceOutboxStale',
        'OrderServiceOutboxDeadRows',
        'OrderServiceOrdersStuckAwaitingPayment',
        'OrderServiceDbPoolSaturated',
        'OrderServicePodsRestarting',
      ]),
    );
  });

  it.each(orderServiceAlertRules.map((rule) => [rule.alert, rule.expr] as const))(
    '%s queries only metrics that exist, in the order-service namespace',
    (_alert, expr) => {
      const metrics = metricsIn(expr);
      expect(metrics.length).toBeGreaterThan(0);
      for (const metric of metrics) expect(knownMetrics, metric).toContain(metric);
      expect(expr).toContain('namespace="order-service"');
    },
  );

  it('ships as a PrometheusRule with severity and a runbook section for every alert', () => {
    const runbook = readFileSync(
      new URL('../../../../docs/operations.md', import.meta.url),
      'utf8',
    );
    const rules = synthChart().one('PrometheusRule').spec.groups?.[0]?.rules ?? [];
    expect(rules).toHaveLength(orderServiceAlertRules.length);
    for (const rule of rules) {
      expect(['critical', 'warning']).toContain(rule.labels?.['severity']);
      expect(runbook, `docs/operations.md lacks a section for ${rule.alert}`).toContain(
        `### ${rule.alert}`,
      );
    }
  });
});

describe('one alert definition, two renderings', () => {
  // The PrometheusRule (Prometheus Operator) and the AMP rule groups namespace must carry the same
  // alerts; a difference would page on one platform and stay silent on the other.
  const summary = (groups: { rules: readonly Record<string, unknown>[] }[]) =>
    groups.flatMap((group) =>
      group.rules.map((rule) => ({
        alert: rule['alert'],
        expr: rule['expr'],
        for: rule['for'],
        severity: (rule['labels'] as Record<string, string>)['severity'],
        runbook: (rule['annotations'] as Record<string, string>)['runbook_url'],
      })),
    );

  it('gives the PrometheusRule and the AMP rules file the same name, expression, duration, severity and runbook', () => {
    const prometheusRule = synthChart().one('PrometheusRule');
    const ampRulesFile = parse(orderServiceRulesFile('dev')) as {
      groups: { rules: Record<string, unknown>[] }[];
    };
    const fromOperator = summary(prometheusRule.spec.groups as never);
    expect(fromOperator).toHaveLength(orderServiceAlertRules.length);
    expect(summary(ampRulesFile.groups)).toEqual(fromOperator);
    for (const alert of fromOperator) expect(alert.runbook).toBe(runbookUrl(String(alert.alert)));
  });
});
