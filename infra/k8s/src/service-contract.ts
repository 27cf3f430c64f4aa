import {
  ORDER_SERVICE_METRICS_PORT,
  ORDER_SERVICE_PORT,
  peerServices as peers,
  routePaths,
  type PeerName,
} from '@mallhive/order-contracts';

/**
 * What the order service promises its runtime (port and paths from libs/order-contracts, the rest from
 * its Dockerfile). The chart, the Dockerfile test and the alerts all read these, so a change lands once.
 */
export const orderService = {
  name: 'order-service',
  /** The API and the probes; the Ingress routes only this port. */
  port: ORDER_SERVICE_PORT,
  portName: 'http',
  /** `/metrics`, for the scraper only (the service's METRICS_PORT). */
  metricsPort: ORDER_SERVICE_METRICS_PORT,
  metricsPortName: 'metrics',
  routes: {
    /** The public API, payment callback included; the only prefix the Ingress routes. */
    api: routePaths.apiPrefix,
    health: routePaths.health,
    readiness: routePaths.readiness,
    metrics: routePaths.metrics,
  },
  /** Fixed non-root UID/GID baked into the image; the securityContext must match it. */
  uid: 10001,
  gid: 10001,
  /** The ECR repository the image must come from (Kyverno enforces it). */
  ecrRepositoryName: 'mallhive-order-service',
} as const;

/** Container ports of the peers the order service calls; each lives in a namespace named after it. */
export const peerServices = Object.fromEntries(
  Object.entries(peers).map(([peer, { name, port, urlSetting }]) => [
    peer,
    { namespace: name, port, urlEnv: urlSetting },
  ]),
) as Record<
  PeerName,
  { readonly namespace: string; readonly port: number; readonly urlEnv: string }
>;

export type { PeerName };

/** Each peer's base URL inside the cluster: its Service in the namespace of the same name. */
export function inClusterPeerUrls(): Record<PeerName, string> {
  return Object.fromEntries(
    Object.entries(peers).map(([peer, { name, port }]) => [
      peer,
      `http://${name}.${name}.svc.cluster.local:${port}`,
    ]),
  ) as Record<PeerName, string>;
}

export const postgresPort = 5432;
/** MSK listeners: plaintext, TLS, IAM. */
export const kafkaPorts = [9092, 9094, 9098] as const;
