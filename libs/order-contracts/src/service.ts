/**
 * Where the order service answers. The deployment relies on these (probes, Service, scrape config,
 * the payment service's callback URL), so they are written here once.
 */

/** The one port: HTTP API, probes and /metrics (there is no separate metrics port). */
export const ORDER_SERVICE_PORT = 4200;

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
