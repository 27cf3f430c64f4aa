import { describe, expect, it } from 'vitest';
import { synthChart } from '../testing/synth-chart.ts';

interface DashboardJson {
  uid: string;
  title: string;
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
}

describe('Grafana dashboard ConfigMap', () => {
  const configMap = synthChart().one('ConfigMap', 'order-service-dashboard');

  it('is labelled for the Grafana dashboard sidecar', () => {
    expect(configMap.metadata?.labels?.['grafana_dashboard']).toBe('1');
  });

  it('holds one dashboard covering traffic, orders, outbox, dependencies and pods', () => {
    const entries = Object.entries(configMap.data ?? {});
    expect(entries).toHaveLength(1);
    const dashboard = JSON.parse(entries[0]![1]) as DashboardJson;
    expect(dashboard.uid).toBe('mallhive-order-service-dev');
    const rows = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(['Traffic', 'Orders', 'Outbox', 'Dependencies', 'Pods']);
  });

  it('queries the service metrics of its own namespace in every panel', () => {
    const dashboard = JSON.parse(Object.values(configMap.data ?? {})[0]!) as DashboardJson;
    const graphs = dashboard.panels.filter((p) => p.type === 'timeseries');
    expect(graphs.length).toBeGreaterThanOrEqual(10);
    for (const panel of graphs) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.expr, panel.title).toContain('namespace="order-service"');
      }
    }
  });
});
