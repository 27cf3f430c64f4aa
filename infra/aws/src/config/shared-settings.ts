import { ORDER_SERVICE_PORT, peerServices } from '@mallhive/order-contracts';
import type { EnvironmentConfig } from './environment-config.ts';

/**
 * The image tag used when `-c imageTag` is absent, so `cdk synth` works on a fresh clone. It passes
 * the chart's validation but no image carries it, and the template refuses to deploy with it.
 */
export const placeholderImageTag = '0000000000000000000000000000000000000000';

/** Settings both environments share: the service contract (see the order service facts). */
export const sharedServiceSettings = {
  serviceNamespace: 'order-service',
  serviceAccountName: 'order-service',
  secretPrefix: 'order-service/',
  apiClientSecretPrefix: 'order-api-clients/',
  repositoryName: 'mallhive-order-service',
  servicePort: ORDER_SERVICE_PORT,
  peerPorts: Object.values(peerServices).map((peer) => peer.port),
  imageTag: placeholderImageTag,
  deployWorkload: true,
} as const satisfies Partial<EnvironmentConfig>;
