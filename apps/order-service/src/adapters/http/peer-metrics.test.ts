import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPeerMetrics } from './peer-metrics.ts';

describe('createPeerMetrics', () => {
  it('registers the three peer metrics under the names dashboards and alerts use', async () => {
    const registry = new Registry();
    createPeerMetrics(registry);
    const names = (await registry.getMetricsAsJSON()).map((metric) => metric.name).sort();
    expect(names).toEqual([
      'order_service_peer_circuit_open',
      'order_service_peer_request_duration_seconds',
      'order_service_peer_requests_total',
    ]);
  });

  it('reuses the metrics when a registry already has them, instead of failing', () => {
    const registry = new Registry();
    const first = createPeerMetrics(registry);
    const second = createPeerMetrics(registry);
    expect(second.requests).toBe(first.requests);
    expect(second.duration).toBe(first.duration);
    expect(second.circuitOpen).toBe(first.circuitOpen);
  });
});
