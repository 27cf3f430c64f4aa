import type { AnalyticsPort, SalesMetric } from '../../application/ports.ts';
import type { PeerClient } from './peer-client.ts';
import { PeerRejectionError } from './peer-errors.ts';

/**
 * Sales metrics to the existing analytics service: `POST /events` with a Bearer key (set on the client),
 * answered 202. It rate-limits at 10/s (burst 30): a 429 is waited out per `Retry-After` by the client.
 * The body keeps the service's snake_case contract (docs/contracts/analytics.openapi.yaml).
 */
export class AnalyticsService implements AnalyticsPort {
  readonly #client: PeerClient;

  constructor(client: PeerClient) {
    this.#client = client;
  }

  async record(metric: SalesMetric): Promise<void> {
    const answer = await this.#client.request({
      operation: 'record_event',
      method: 'POST',
      path: '/events',
      body: {
        user_id: metric.userId,
        event_type: 'sales_metric',
        event_subtype: metric.eventSubtype,
        source_service: 'order-service',
        value: metric.value,
        metadata: {
          order_id: metric.orderId,
          currency: metric.currency,
          // The service has no dedupe of its own; the key lets its consumers drop repeats.
          idempotency_key: metric.idempotencyKey,
        },
      },
      idempotencyKey: metric.idempotencyKey,
      idempotent: false,
    });
    if (answer.status < 200 || answer.status >= 300) {
      throw new PeerRejectionError('analytics', 'record_event', answer.status, answer.body);
    }
  }
}
