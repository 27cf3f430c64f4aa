import type { EnvironmentConfig } from './environment-config.ts';

/** Settings both environments share: the service contract (see the order service facts). */
export const sharedServiceSettings = {
  serviceNamespace: 'order-service',
  serviceAccountName: 'order-service',
  secretPrefix: 'order-service/',
  repositoryName: 'mallhive-order-service',
  servicePort: 4200,
  // product, notification, payment, analytics
  peerPorts: [4100, 4400, 4500, 4800],
  imageTag: 'latest-build',
} as const satisfies Partial<EnvironmentConfig>;
