import {
  signPayload,
  simulatedPaymentDecision,
  type PaymentOutcome,
} from '@mallhive/order-contracts';
import type { PaymentRequest, PaymentsPort, PaymentVerification } from '../../application/ports.ts';
import { pause } from './pause.ts';

/** Hands a signed callback to the order service (in-process: through the real HTTP route). */
export type CallbackDelivery = (url: string, rawBody: string, signature: string) => Promise<void>;

/**
 * In-process stand-in for the payment service. It accepts every request and, `callbackDelayMs` later,
 * calls back like the real one would, deciding by the simulated payment rule (`payfail-` users fail,
 * `paylost-` users are never called back; libs/order-contracts).
 */
export class SimulatedPayments implements PaymentsPort {
  readonly payments = new Map<string, PaymentVerification>();
  readonly refunds = new Map<string, { paymentId: string; amount: number }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly options: {
    /** The current signing key (it may rotate while the service runs). */
    secret: () => string;
    deliver: CallbackDelivery;
    callbackDelayMs: number;
    latencyMs: number;
    onDeliveryError: (error: unknown) => void;
  };

  constructor(options: SimulatedPayments['options']) {
    this.options = options;
  }

  async initiate(request: PaymentRequest): Promise<{ paymentId: string }> {
    await pause(this.options.latencyMs);
    // One payment per order, like an idempotency key would give.
    const paymentId = `sim-pay-${request.orderId}`;
    if (this.payments.has(paymentId)) return { paymentId };

    const decision = simulatedPaymentDecision(request.userId);
    this.payments.set(paymentId, {
      paymentId,
      orderId: request.orderId,
      status: 'pending',
      amount: request.amount,
    });
    if (decision.status !== 'never') this.scheduleCallback(request, paymentId, decision);
    return { paymentId };
  }

  async verify(paymentId: string): Promise<PaymentVerification> {
    await pause(this.options.latencyMs);
    const payment = this.payments.get(paymentId);
    if (!payment) throw new Error(`unknown payment ${paymentId}`);
    return payment;
  }

  async refund(request: {
    paymentId: string;
    amount: { amount: number };
  }): Promise<{ refundId: string }> {
    await pause(this.options.latencyMs);
    const refundId = `sim-refund-${request.paymentId}`;
    this.refunds.set(refundId, { paymentId: request.paymentId, amount: request.amount.amount });
    return { refundId };
  }

  /** Stops callbacks that are still scheduled (at shutdown). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private scheduleCallback(
    request: PaymentRequest,
    paymentId: string,
    outcome: { status: 'succeeded' | 'failed'; failureReason?: string },
  ): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const result: PaymentVerification = {
        paymentId,
        orderId: request.orderId,
        amount: request.amount,
        ...outcome,
      };
      this.payments.set(paymentId, result);
      const body: PaymentOutcome = {
        paymentId,
        orderId: request.orderId,
        status: outcome.status,
        amount: request.amount.amount,
        currency: request.amount.currency,
        ...(outcome.failureReason ? { failureReason: outcome.failureReason } : {}),
      };
      const rawBody = JSON.stringify(body);
      const signature = signPayload(rawBody, this.options.secret(), Math.floor(Date.now() / 1000));
      this.options
        .deliver(request.callbackUrl, rawBody, signature)
        .catch(this.options.onDeliveryError);
    }, this.options.callbackDelayMs);
    timer.unref();
    this.timers.add(timer);
  }
}
