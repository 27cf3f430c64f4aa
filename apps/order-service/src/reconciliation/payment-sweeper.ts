import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderContext } from '../application/context.ts';
import { modifyOrder, stepTo } from '../application/modify-order.ts';
import { applyPaymentOutcome } from '../application/payment-results.ts';
import { findOrdersAwaitingPaymentSince } from '../adapters/postgres/order-repository.ts';
import type { Order } from '../domain/order.ts';
import { OrderStatus } from '../domain/order-status.ts';

export interface SweepReport {
  readonly examined: number;
  readonly paid: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Orders left for the next sweep because the payment service could not answer. */
  readonly unresolved: number;
}

/** Arbitrary but fixed: the key of the advisory lock that lets one replica sweep at a time. */
const SWEEP_LOCK = 0x4f524452;

/**
 * Orders waiting for their payment outcome longer than `paymentTimeoutMs` (a lost callback, a payment
 * service that was down) are settled from the payment service's own record: paid, failed, or — when it
 * still says pending — cancelled, which releases their stock.
 */
export class PaymentSweeper {
  private readonly context: OrderContext;
  private readonly options: { paymentTimeoutMs: number; intervalMs: number; batchSize?: number };
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(context: OrderContext, options: PaymentSweeper['options']) {
    this.context = context;
    this.options = options;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.sweep().catch((error: unknown) =>
          this.context.logger.error({ err: error }, 'payment sweep failed'),
        );
        await sleep(this.options.intervalMs, undefined, { signal: this.stopping.signal }).catch(
          () => undefined,
        );
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await this.loop;
  }

  /** One pass; does nothing (all zero) while another replica holds the sweep lock. */
  async sweep(): Promise<SweepReport> {
    // A session lock on a held connection, not a transaction: the sweep calls the payment service, and an
    // open transaction must never wait on the network.
    return this.context.db.withConnection(async (lockHolder) => {
      const report = { examined: 0, paid: 0, failed: 0, cancelled: 0, unresolved: 0 };
      const lock = await lockHolder.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS locked',
        [SWEEP_LOCK],
      );
      if (!lock.rows[0]?.locked) return report;
      try {
        const cutoff = new Date(this.context.clock().getTime() - this.options.paymentTimeoutMs);
        const overdue = await findOrdersAwaitingPaymentSince(
          this.context.db,
          cutoff,
          this.options.batchSize ?? 100,
        );
        for (const order of overdue) {
          report.examined++;
          report[await this.settle(order)]++;
        }
      } finally {
        await lockHolder.query('SELECT pg_advisory_unlock($1)', [SWEEP_LOCK]);
      }
      if (report.examined > 0)
        this.context.logger.info({ report }, 'payment sweep settled overdue orders');
      return report;
    });
  }

  private async settle(order: Order): Promise<'paid' | 'failed' | 'cancelled' | 'unresolved'> {
    const paymentId = order.payment?.paymentId;
    try {
      const truth = paymentId ? await this.context.peers.payments.verify(paymentId) : undefined;
      if (truth && truth.status !== 'pending') {
        await applyPaymentOutcome(this.context, {
          paymentId: truth.paymentId,
          orderId: order.id,
          status: truth.status,
          amount: truth.amount.amount,
          currency: truth.amount.currency,
          ...(truth.failureReason ? { failureReason: truth.failureReason } : {}),
        });
        return truth.status === 'succeeded' ? 'paid' : 'failed';
      }
      await modifyOrder(this.context, order.id, (current) =>
        current.status === OrderStatus.AwaitingPayment
          ? stepTo(this.context, current, {
              to: OrderStatus.Cancelled,
              reason: 'payment_timeout',
              actor: 'sweeper',
            })
          : undefined,
      );
      return 'cancelled';
    } catch (error) {
      this.context.logger.warn(
        { err: error, orderId: order.id },
        'could not settle an overdue payment; will retry',
      );
      return 'unresolved';
    }
  }
}

/** For the metrics gauge: how many orders are overdue right now. */
export async function countOverduePayments(
  context: Pick<OrderContext, 'db' | 'clock'>,
  paymentTimeoutMs: number,
): Promise<number> {
  const cutoff = new Date(context.clock().getTime() - paymentTimeoutMs);
  const result = await context.db.query<{ overdue: number }>(
    `SELECT count(*)::int AS overdue FROM orders WHERE status = 'AWAITING_PAYMENT' AND updated_at < $1`,
    [cutoff],
  );
  return result.rows[0]?.overdue ?? 0;
}
