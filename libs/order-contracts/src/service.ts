/**
 * Where the order service answers. The deployment relies on these (probes, Service, scrape config,
 * the payment service's callback URL), so they are written here once.
 */

/** The HTTP API and the probes; the Ingress routes only this port. */
export const ORDER_SERVICE_PORT = 4200;
/** `/metrics`, on a port of its own: the Service exposes it to the scraper, the Ingress does not route it. */
export const ORDER_SERVICE_METRICS_PORT = 9464;

export const routePaths = {
  health: '/healthz',
  readiness: '/readyz',
  metrics: '/metrics',
  docs: '/docs',
  openapi: '/openapi.json',
  apiPrefix: '/api/v1',
  /** Below `apiPrefix`: where the payment service POSTs signed payment outcomes. */
  paymentCallback: '/payments/callback',
} as const;
