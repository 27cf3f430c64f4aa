import type { OrderContext } from '../application/context.ts';
import { modifyOrder, stepTo } from '../application/modify-order.ts';
import { applyPaymentOutcome } from '../application/payment-results.ts';
import { RepeatingTask } from '../application/repeating-task.ts';
import type { PaymentVerification } from '../application/ports.ts';
import type { PaymentCheck } from '../adapters/postgres/payment-checks.ts';
import { claimDuePaymentChecks } from '../adapters/postgres/payment-checks.ts';
import type { TransitionRequest } from '../domain/order.ts';
import { OrderStatus } from '../domain/order-status.ts';

/** What became of one overdue order in a sweep. */
export type CheckOutcome =
  /** The payment service says paid / failed: applied like the callback that got lost. */
  | 'paid'
  | 'failed'
  /** The payment service does not know the payment: the order fails and its stock is released. */
  | 'unknown'
  /** Still pending at the payment service after the payment timeout: cancelled, stock released. */
  | 'cancelled'
  /** The payment service could not answer: asked again later, with backoff. */
  | 'unreachable'
  /** The answer could not be applied (e.g. the database failed): tried again later, with backoff. */
  | 'unresolved';

export type SweepReport = { readonly examined: number } & Readonly<Record<CheckOutcome, number>>;

export interface SweeperOptions {
  readonly paymentTimeoutMs: number;
  readonly intervalMs: number;
  readonly batchSize?: number;
}

/** An order whose check keeps failing is asked about at most this far apart (unless the interval is longer). */
const MAX_RECHECK_MS = 10 * 60_000;

/**
 * Orders waiting for their payment outcome longer than `paymentTimeoutMs` (a lost callback, a payment
 * service that was down, a crash of our own) are settled from the payment service's own record. Replicas
 * share the work by claiming orders (payment-checks.ts); an order whose check fails is asked about again
 * after `intervalMs`, then twice as long each time, and stays counted in the overdue gauge (and alerted on)
 * meanwhile. Nothing is held between statements: a lost connection fails one statement, never the process.
 */
export class PaymentSweeper {
  private readonly context: OrderContext;
  private readonly options: SweeperOptions;
  private readonly task: RepeatingTask;

  constructor(context: OrderContext, options: SweeperOptions) {
    this.context = context;
    this.options = options;
    this.task = new RepeatingTask({
      run: () => this.sweep(),
      intervalMs: options.intervalMs,
      onError: (error) =>
        context.logger.error({ err: error }, 'payment sweep failed; the next one will retry'),
    });
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass over the overdue orders that are due for a check. */
  async sweep(): Promise<SweepReport> {
    const { paymentTimeoutMs, intervalMs, batchSize = 100 } = this.options;
    const due = await claimDuePaymentChecks(this.context.db, {
      cutoff: new Date(this.context.clock().getTime() - paymentTimeoutMs),
      limit: batchSize,
      firstRecheckMs: intervalMs,
      maxRecheckMs: Math.max(intervalMs, MAX_RECHECK_MS),
    });
    const report = {
      examined: 0,
      paid: 0,
      failed: 0,
      unknown: 0,
      cancelled: 0,
      unreachable: 0,
      unresolved: 0,
    };
    for (const check of due) {
      const outcome = await this.settle(check);
      report.examined++;
      report[outcome]++;
      this.context.metrics.paymentChecks.inc({ outcome });
    }
    if (report.examined > 0)
      this.context.logger.info({ report }, 'payment sweep checked overdue orders');
    return report;
  }

  private async settle(check: PaymentCheck): Promise<CheckOutcome> {
    const { orderId, paymentId, checks } = check;
    let truth: PaymentVerification | undefined;
    try {
      truth = paymentId ? await this.context.peers.payments.verify(paymentId) : undefined;
    } catch (error) {
      this.context.logger.warn(
        { err: error, orderId, paymentId, checks },
        'the payment service could not say what became of an overdue payment; asking again later',
      );
      return 'unreachable';
    }
    try {
      if (!truth) {
        this.context.logger.warn(
          { orderId, paymentId },
          'the payment service does not know an overdue payment; failing the order',
        );
        await this.stepAwaitingOrder(orderId, {
          to: OrderStatus.PaymentFailed,
          reason: 'payment_unknown',
          actor: 'sweeper',
          ...(paymentId ? { payment: { paymentId, status: 'failed' } } : {}),
        });
        return 'unknown';
      }
      if (truth.status === 'pending') {
        await this.stepAwaitingOrder(orderId, {
          to: OrderStatus.Cancelled,
          reason: 'payment_timeout',
          actor: 'sweeper',
        });
        return 'cancelled';
      }
      await applyPaymentOutcome(this.context, {
        paymentId: truth.paymentId,
        orderId,
        status: truth.status,
        amount: truth.amount.amount,
        currency: truth.amount.currency,
        ...(truth.failureReason ? { failureReason: truth.failureReason } : {}),
      });
      return truth.status === 'succeeded' ? 'paid' : 'failed';
    } catch (error) {
      this.context.logger.warn(
        { err: error, orderId, checks },
        'could not settle an overdue payment; will retry',
      );
      return 'unresolved';
    }
  }

  /** Moves the order on unless something else (a late callback) moved it first. */
  private async stepAwaitingOrder(
    orderId: string,
    request: Omit<TransitionRequest, 'at'>,
  ): Promise<void> {
    await modifyOrder(this.context, orderId, (current) =>
      current.status === OrderStatus.AwaitingPayment
        ? stepTo(this.context, current, request)
        : undefined,
    );
  }
}
