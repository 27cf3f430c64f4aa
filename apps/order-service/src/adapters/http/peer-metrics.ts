import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * What happened to one call to a peer. `success` and `rejected` are answers (2xx, 4xx); the others are
 * failures the caller experiences as "dependency unavailable".
 */
export type PeerOutcome =
  | 'success'
  | 'rejected'
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'network_error'
  | 'circuit_open'
  | 'bulkhead_full';

/** The per-peer metrics named in docs/peers.md; one set per registry, shared by every peer client. */
export interface PeerMetrics {
  readonly duration: Histogram<'peer' | 'operation' | 'outcome'>;
  readonly requests: Counter<'peer' | 'operation' | 'outcome'>;
  readonly circuitOpen: Gauge<'peer'>;
}

/** Registers the metrics, or reuses them when this registry already has them (a second set of peers). */
export function createPeerMetrics(registry: Registry): PeerMetrics {
  const existing = registry.getSingleMetric('order_service_peer_requests_total');
  if (existing) {
    return {
      duration: registry.getSingleMetric(
        'order_service_peer_request_duration_seconds',
      ) as PeerMetrics['duration'],
      requests: existing as PeerMetrics['requests'],
      circuitOpen: registry.getSingleMetric(
        'order_service_peer_circuit_open',
      ) as PeerMetrics['circuitOpen'],
    };
  }
  return {
    duration: new Histogram({
      name: 'order_service_peer_request_duration_seconds',
      help: 'Duration of each HTTP attempt to a peer service',
      labelNames: ['peer', 'operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    requests: new Counter({
      name: 'order_service_peer_requests_total',
      help: 'HTTP attempts to a peer service (and calls refused locally by breaker or bulkhead)',
      labelNames: ['peer', 'operation', 'outcome'],
      registers: [registry],
    }),
    circuitOpen: new Gauge({
      name: 'order_service_peer_circuit_open',
      help: '1 while the circuit breaker of a peer is open (calls fail fast), else 0',
      labelNames: ['peer'],
      registers: [registry],
    }),
  };
}
