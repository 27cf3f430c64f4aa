import type { Queryable } from './database.ts';

/** An order the payment sweeper has claimed for one check with the payment service. */
export interface PaymentCheck {
  readonly orderId: string;
  readonly paymentId: string | null;
  /** How many times this order has been checked, this time included. */
  readonly checks: number;
}

export interface PaymentCheckClaim {
  /** Orders awaiting payment since before this are overdue. */
  readonly cutoff: Date;
  readonly limit: number;
  /** Delay before the second check of an order; it doubles with each further check … */
  readonly firstRecheckMs: number;
  /** … up to this. */
  readonly maxRecheckMs: number;
}

/**
 * Claims up to `limit` overdue orders that are due for a check, and schedules each one's next check in the
 * same statement: the first recheck after `firstRecheckMs`, then doubling. The schedule is a lease while
 * the check runs (other replicas skip the order: SKIP LOCKED now, `payment_check_at` after commit) and the
 * backoff if it fails; an order settled by the check leaves AWAITING_PAYMENT and is never claimed again.
 * No connection is held between statements, so the sweeper works with a pool of one.
 */
export async function claimDuePaymentChecks(
  db: Queryable,
  claim: PaymentCheckClaim,
): Promise<PaymentCheck[]> {
  const result = await db.query<{ id: string; payment_id: string | null; payment_checks: number }>(
    `WITH due AS (
       SELECT id FROM orders
       WHERE status = 'AWAITING_PAYMENT' AND updated_at < $1
         AND (payment_check_at IS NULL OR payment_check_at <= now())
       ORDER BY updated_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE orders SET payment_checks = orders.payment_checks + 1,
            payment_check_at = now() + make_interval(
              secs => least($4::float8, $3::float8 * power(2, orders.payment_checks)) / 1000.0)
     FROM due WHERE orders.id = due.id
     RETURNING orders.id, orders.payment_id, orders.payment_checks`,
    [claim.cutoff, claim.limit, claim.firstRecheckMs, claim.maxRecheckMs],
  );
  return result.rows.map((row) => ({
    orderId: row.id,
    paymentId: row.payment_id,
    checks: row.payment_checks,
  }));
}

/** How many orders have awaited their payment since before `cutoff` (the overdue gauge). */
export async function countOverduePayments(db: Queryable, cutoff: Date): Promise<number> {
  const result = await db.query<{ overdue: number }>(
    `SELECT count(*)::int AS overdue FROM orders WHERE status = 'AWAITING_PAYMENT' AND updated_at < $1`,
    [cutoff],
  );
  return result.rows[0]?.overdue ?? 0;
}
