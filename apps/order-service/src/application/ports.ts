/**
 * The small interfaces the application needs from the outside world. Simulated implementations live in
 * adapters/simulated, HTTP and broker implementations in adapters/http and adapters/events.
 * Every mutating call carries an idempotency key, so the outbox dispatcher may safely retry it.
 */
import type { Money } from '../domain/money.ts';
import type { CloudEvent } from '../events/cloud-event.ts';

export interface ReservationRequest {
  readonly orderId: string;
  readonly currency: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
}

export interface Reservation {
  /** The product side's unit price per product, in minor units of the requested currency. */
  readonly lines: readonly { productId: string; quantity: number; unitPrice: number }[];
}

/**
 * Stock reservation by the product side. Each call is idempotent per order id.
 * `reserve` throws OrderError `insufficient_stock` (details.items) or `unknown_product` (details.productIds),
 * or DependencyUnavailableError when the product side cannot answer.
 */
export interface InventoryPort {
  reserve(request: ReservationRequest): Promise<Reservation>;
  commit(orderId: string): Promise<void>;
  release(orderId: string): Promise<void>;
}

export interface PaymentRequest {
  readonly orderId: string;
  readonly userId: string;
  readonly amount: Money;
  /** Where the payment service must POST the signed outcome. */
  readonly callbackUrl: string;
  readonly idempotencyKey: string;
}

type PaymentOutcomeStatus = 'pending' | 'succeeded' | 'failed';

export interface PaymentVerification {
  readonly paymentId: string;
  readonly orderId: string;
  readonly status: PaymentOutcomeStatus;
  readonly amount: Money;
  readonly failureReason?: string;
}

/** Payment initiation, verification and refunds. The outcome arrives later on our signed callback. */
export interface PaymentsPort {
  initiate(request: PaymentRequest): Promise<{ paymentId: string }>;
  /**
   * The payment service's own record; undefined when it says it does not know the payment. Throws when it
   * cannot answer (DependencyUnavailableError) or answers outside its contract.
   */
  verify(paymentId: string): Promise<PaymentVerification | undefined>;
  refund(request: {
    paymentId: string;
    orderId: string;
    amount: Money;
    idempotencyKey: string;
  }): Promise<{ refundId: string }>;
}

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly message: string;
  readonly idempotencyKey: string;
}

export interface NotificationsPort {
  sendEmail(email: EmailMessage): Promise<void>;
}

/** A `sales_metric` for the analytics service; `value` is the order total in major units. */
export interface SalesMetric {
  readonly userId: string;
  readonly eventSubtype: string;
  readonly value: number;
  readonly orderId: string;
  readonly currency: string;
  readonly idempotencyKey: string;
}

export interface AnalyticsPort {
  record(metric: SalesMetric): Promise<void>;
}

/** Publishes events at least once; throws when any event of the batch was not accepted. */
export interface EventPublisher {
  publish(events: readonly CloudEvent[]): Promise<void>;
  close?(): Promise<void>;
}

export interface Peers {
  readonly inventory: InventoryPort;
  readonly payments: PaymentsPort;
  readonly notifications: NotificationsPort;
  readonly analytics: AnalyticsPort;
}
