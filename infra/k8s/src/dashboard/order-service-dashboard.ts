import {
  DashboardBuilder,
  DatasourceVariableBuilder,
  RowBuilder,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { namespaceName } from '../constructs/labels.ts';

const datasource = { type: 'prometheus', uid: '${datasource}' };
const ns = `namespace="${namespaceName}"`;

interface PanelSpec {
  readonly title: string;
  readonly unit: string;
  readonly queries: readonly { readonly expr: string; readonly legend: string }[];
}

function timeseries(spec: PanelSpec): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(spec.title)
    .datasource(datasource)
    .unit(spec.unit)
    .height(8)
    .span(8);
  spec.queries.forEach((query, index) => {
    panel.withTarget(
      new DataqueryBuilder()
        .datasource(datasource)
        .expr(query.expr)
        .legendFormat(query.legend)
        .refId(String.fromCharCode(65 + index)),
    );
  });
  return panel;
}

const rows: readonly { readonly title: string; readonly panels: readonly PanelSpec[] }[] = [
  {
    title: 'Traffic',
    panels: [
      {
        title: 'Requests by status',
        unit: 'reqps',
        queries: [
          {
            expr: `sum by (status_code) (rate(http_request_duration_seconds_count{${ns}}[5m]))`,
            legend: '{{status_code}}',
          },
        ],
      },
      {
        title: '5xx ratio',
        unit: 'percentunit',
        queries: [
          {
            expr: `sum(rate(http_request_duration_seconds_count{${ns},status_code=~"5.."}[5m])) / sum(rate(http_request_duration_seconds_count{${ns}}[5m]))`,
            legend: '5xx',
          },
        ],
      },
      {
        title: 'Latency',
        unit: 's',
        queries: [0.5, 0.99].map((quantile) => ({
          expr: `histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{${ns}}[5m])))`,
          legend: `p${quantile * 100}`,
        })),
      },
    ],
  },
  {
    title: 'Orders',
    panels: [
      {
        title: 'Orders created',
        unit: 'ops',
        queries: [
          { expr: `sum(rate(order_service_orders_created_total{${ns}}[5m]))`, legend: 'created' },
        ],
      },
      {
        title: 'Status transitions',
        unit: 'ops',
        queries: [
          {
            expr: `sum by (from, to) (rate(order_service_order_transitions_total{${ns}}[5m]))`,
            legend: '{{from}} → {{to}}',
          },
        ],
      },
      {
        title: 'Overdue awaiting payment',
        unit: 'short',
        queries: [
          { expr: `max(order_service_orders_awaiting_payment_overdue{${ns}})`, legend: 'overdue' },
        ],
      },
    ],
  },
  {
    title: 'Outbox',
    panels: [
      {
        title: 'Backlog and dead rows',
        unit: 'short',
        queries: [
          { expr: `max(order_service_outbox_backlog{${ns}})`, legend: 'backlog' },
          { expr: `max(order_service_outbox_dead{${ns}})`, legend: 'dead' },
        ],
      },
      {
        title: 'Oldest unpublished event',
        unit: 's',
        queries: [{ expr: `max(order_service_outbox_oldest_age_seconds{${ns}})`, legend: 'age' }],
      },
    ],
  },
  {
    title: 'Dependencies',
    panels: [
      {
        title: 'Database pool',
        unit: 'short',
        queries: [
          { expr: `sum(order_service_db_pool_in_use{${ns}})`, legend: 'in use' },
          { expr: `sum(order_service_db_pool_waiting{${ns}})`, legend: 'waiting' },
          { expr: `sum(order_service_db_pool_max{${ns}})`, legend: 'max' },
        ],
      },
      {
        title: 'Peer latency p99',
        unit: 's',
        queries: [
          {
            expr: `histogram_quantile(0.99, sum by (le, peer) (rate(order_service_peer_request_duration_seconds_bucket{${ns}}[5m])))`,
            legend: '{{peer}}',
          },
        ],
      },
      {
        title: 'Open circuit breakers',
        unit: 'short',
        queries: [
          { expr: `max by (peer) (order_service_peer_circuit_open{${ns}})`, legend: '{{peer}}' },
        ],
      },
    ],
  },
  {
    title: 'Pods',
    panels: [
      {
        title: 'Resident memory',
        unit: 'bytes',
        queries: [{ expr: `process_resident_memory_bytes{${ns}}`, legend: '{{pod}}' }],
      },
      {
        title: 'CPU',
        unit: 'short',
        queries: [{ expr: `rate(process_cpu_seconds_total{${ns}}[5m])`, legend: '{{pod}}' }],
      },
      {
        title: 'Event loop lag',
        unit: 's',
        queries: [{ expr: `nodejs_eventloop_lag_seconds{${ns}}`, legend: '{{pod}}' }],
      },
    ],
  },
];

export const orderServiceDashboardUid = 'mallhive-order-service';

/** The order service dashboard as Grafana JSON, built in code so it is reviewed like code. */
export function buildOrderServiceDashboard(envName: string): Dashboard {
  const builder = new DashboardBuilder(`Order service (${envName})`)
    .uid(`${orderServiceDashboardUid}-${envName}`)
    .tags(['mallhive', 'order-service', envName])
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(
      new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'),
    );
  for (const row of rows) {
    builder.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(timeseries(panel));
  }
  return builder.build();
}
