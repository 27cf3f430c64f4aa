/** Paths and port that the deployment (probes, Service, scrape config) relies on; imported by infra/k8s. */
export const DEFAULT_PORT = 4200;

export const routePaths = {
  health: '/healthz',
  readiness: '/readyz',
  metrics: '/metrics',
  docs: '/docs',
  openapi: '/openapi.json',
  apiPrefix: '/api/v1',
} as const;
