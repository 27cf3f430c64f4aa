import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Peers } from '../../application/ports.ts';
import type { Config } from '../../config/config.ts';
import { AnalyticsService } from './analytics-service.ts';
import { NotificationService } from './notification-service.ts';
import { PaymentService } from './payment-service.ts';
import { PeerClient, type BreakerOptions, type RetryOptions } from './peer-client.ts';
import { createPeerMetrics } from './peer-metrics.ts';
import { ProductInventory } from './product-inventory.ts';

export type HttpPeersConfig = Extract<Config['peers'], { kind: 'http' }>;

export interface HttpPeersDeps {
  readonly registry: Registry;
  readonly logger: Logger;
  /** The analytics API key, already resolved from its SecretSource. */
  readonly analyticsApiKey: string;
  /** Overrides for tests; production uses the defaults of peer-client.ts. */
  readonly retry?: Partial<RetryOptions>;
  readonly breaker?: Partial<BreakerOptions>;
}

/** The four peers over HTTP, one resilient client each (own breaker, bulkhead and connection pool). */
export function createHttpPeers(
  config: HttpPeersConfig,
  deps: HttpPeersDeps,
): Peers & { close(): Promise<void> } {
  const metrics = createPeerMetrics(deps.registry);
  const client = (peer: string, baseUrl: string, headers?: Record<string, string>) =>
    new PeerClient({
      peer,
      baseUrl,
      timeoutMs: config.timeoutMs,
      metrics,
      logger: deps.logger.child({ peer }),
      ...(headers === undefined ? {} : { headers }),
      ...(deps.retry === undefined ? {} : { retry: deps.retry }),
      ...(deps.breaker === undefined ? {} : { breaker: deps.breaker }),
    });

  const clients = {
    product: client('product', config.productUrl),
    payment: client('payment', config.paymentUrl),
    notification: client('notification', config.notificationUrl),
    analytics: client('analytics', config.analyticsUrl, {
      authorization: `Bearer ${deps.analyticsApiKey}`,
    }),
  };
  return {
    inventory: new ProductInventory(clients.product),
    payments: new PaymentService(clients.payment),
    notifications: new NotificationService(clients.notification),
    analytics: new AnalyticsService(clients.analytics),
    async close() {
      await Promise.all(Object.values(clients).map((peerClient) => peerClient.close()));
    },
  };
}
