/**
 * What the order service promises its runtime (see the service's `src/http/route-paths.ts` and its
 * Dockerfile). The chart, the Dockerfile test and the alerts all read these, so a change lands once.
 */
export const orderService = {
  name: 'order-service',
  /** The one container port: HTTP API, probes and /metrics. */
  port: 4200,
  portName: 'http',
  routes: {
    /** The public API, payment callback included; the only prefix the Ingress routes. */
    api: '/api/v1',
    health: '/healthz',
    readiness: '/readyz',
    metrics: '/metrics',
  },
  /** Fixed non-root UID/GID baked into the image; the securityContext must match it. */
  uid: 10001,
  gid: 10001,
  /** The ECR repository the image must come from (Kyverno enforces it). */
  ecrRepositoryName: 'mallhive-order-service',
} as const;

/** Container ports of the peers the order service calls; each lives in a namespace named after it. */
export const peerServices = {
  product: { namespace: 'product-service', port: 4100, urlEnv: 'PRODUCT_SERVICE_URL' },
  notification: {
    namespace: 'notification-service',
    port: 4400,
    urlEnv: 'NOTIFICATION_SERVICE_URL',
  },
  payment: { namespace: 'payment-service', port: 4500, urlEnv: 'PAYMENT_SERVICE_URL' },
  analytics: { namespace: 'analytics-service', port: 4800, urlEnv: 'ANALYTICS_SERVICE_URL' },
} as const;

export type PeerName = keyof typeof peerServices;

export const postgresPort = 5432;
/** MSK listeners: plaintext, TLS, IAM. */
export const kafkaPorts = [9092, 9094, 9098] as const;
