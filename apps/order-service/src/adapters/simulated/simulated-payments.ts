import {
  signPayload,
  simulatedPaymentDecision,
  type PaymentOutcome,
} from '@mallhive/order-contracts';
import { context } from '@opentelemetry/api';
import type { PaymentRequest, PaymentsPort, PaymentVerification } from '../../application/ports.ts';
import type { Queryable } from '../postgres/database.ts';
import { contextOf, currentTraceContext } from '../../observability/trace-context.ts';
import { pause } from './pause.ts';

/** Hands a signed callback to the order service (in-process: through the real HTTP route). */
export type CallbackDelivery = (url: string, rawBody: string, signature: string) => Promise<void>;

type Outcome = Exclude<ReturnType<typeof simulatedPaymentDecision>, { status: 'never' }>;

interface PaymentRow {
  payment_id: string;
  order_id: string;
  amount: number;
  currency: string;
  status: 'pending' | 'succeeded' | 'failed';
  failure_reason: string | null;
}

/**
 * In-process stand-in for the payment service. It accepts every request and, `callbackDelayMs` later,
 * calls back like the real one would, deciding by the simulated payment rule (`payfail-` users fail,
 * `paylost-` users are never called back and verify keeps answering `pending`; libs/order-contracts).
 *
 * Its payments live in the database (table simulated_payments), like a real provider's: after a restart
 * it still knows them, and a payment whose moment has passed reads as settled even if its callback was
 * lost with the old process.
 *
 * Like a payment service that propagates W3C trace context, it calls back in the trace of the initiation
 * request.
 */
export class SimulatedPayments implements PaymentsPort {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly options: {
    readonly db: Queryable;
    /** The current signing key (it may rotate while the service runs). */
    readonly secret: () => string;
    readonly deliver: CallbackDelivery;
    readonly callbackDelayMs: number;
    readonly latencyMs: number;
    readonly onDeliveryError: (error: unknown) => void;
  };

  constructor(options: SimulatedPayments['options']) {
    this.options = options;
  }

  async initiate(request: PaymentRequest): Promise<{ paymentId: string }> {
    await pause(this.options.latencyMs);
    // One payment per order, like an idempotency key would give.
    const paymentId = `sim-pay-${request.orderId}`;
    const decision = simulatedPaymentDecision(request.userId);
    const outcome: Outcome | undefined = decision.status === 'never' ? undefined : decision;
    const created = await this.options.db.query(
      `INSERT INTO simulated_payments
         (payment_id, order_id, amount, currency, outcome, failure_reason, settles_at)
       VALUES ($1, $2, $3, $4, $5, $6,
               CASE WHEN $5::text IS NULL THEN NULL ELSE now() + make_interval(secs => $7 / 1000.0) END)
       ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id`,
      [
        paymentId,
        request.orderId,
        request.amount.amount,
        request.amount.currency,
        outcome?.status ?? null,
        outcome?.status === 'failed' ? outcome.failureReason : null,
        this.options.callbackDelayMs,
      ],
    );
    if (created.rowCount === 1 && outcome) this.scheduleCallback(request, paymentId, outcome);
    return { paymentId };
  }

  async verify(paymentId: string): Promise<PaymentVerification | undefined> {
    await pause(this.options.latencyMs);
    const { rows } = await this.options.db.query<PaymentRow>(
      `SELECT payment_id, order_id, amount, currency, failure_reason,
              CASE WHEN settles_at <= now() THEN outcome ELSE 'pending' END AS status
       FROM simulated_payments WHERE payment_id = $1`,
      [paymentId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      paymentId: row.payment_id,
      orderId: row.order_id,
      status: row.status,
      amount: { amount: row.amount, currency: row.currency },
      ...(row.status === 'failed' && row.failure_reason
        ? { failureReason: row.failure_reason }
        : {}),
    };
  }

  async refund(request: {
    paymentId: string;
    amount: { amount: number };
  }): Promise<{ refundId: string }> {
    await pause(this.options.latencyMs);
    const refundId = `sim-refund-${request.paymentId}`;
    await this.options.db.query(
      `INSERT INTO simulated_refunds (refund_id, payment_id, amount) VALUES ($1, $2, $3)
       ON CONFLICT (refund_id) DO NOTHING`,
      [refundId, request.paymentId, request.amount.amount],
    );
    return { refundId };
  }

  /** The refund made for `paymentId`, if any (for tests and the dev console). */
  async refundOf(paymentId: string): Promise<{ refundId: string; amount: number } | undefined> {
    const { rows } = await this.options.db.query<{ refund_id: string; amount: number }>(
      `SELECT refund_id, amount FROM simulated_refunds WHERE payment_id = $1`,
      [paymentId],
    );
    const row = rows[0];
    return row ? { refundId: row.refund_id, amount: row.amount } : undefined;
  }

  /** Stops callbacks that are still scheduled (at shutdown). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private scheduleCallback(request: PaymentRequest, paymentId: string, outcome: Outcome): void {
    const initiation = contextOf(currentTraceContext());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const body: PaymentOutcome = {
        paymentId,
        orderId: request.orderId,
        status: outcome.status,
        amount: request.amount.amount,
        currency: request.amount.currency,
        ...(outcome.status === 'failed' ? { failureReason: outcome.failureReason } : {}),
      };
      const rawBody = JSON.stringify(body);
      const signature = signPayload(rawBody, this.options.secret(), Math.floor(Date.now() / 1000));
      context
        .with(initiation, () => this.options.deliver(request.callbackUrl, rawBody, signature))
        .catch(this.options.onDeliveryError);
    }, this.options.callbackDelayMs);
    timer.unref();
    this.timers.add(timer);
  }
}
