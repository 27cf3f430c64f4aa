import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing/test-server.ts';
import { eventually, recordingPublisher, startTestServer } from '../testing/test-server.ts';
import { PaymentSweeper } from './payment-sweeper.ts';

const sink = recordingPublisher();
const { published } = sink;

let t: TestServer;
beforeAll(async () => {
  // The simulated payment service settles payments but its callbacks never arrive: every callback is lost.
  t = await startTestServer({
    workers: true,
    env: { SIMULATED_PAYMENT_DELAY_MS: '600000' },
    overrides: { publisher: sink },
  });
});
afterAll(async () => {
  await t.stop();
});

const sql = async <Row extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
  (await t.server.context.db.query<Row>(text, values)).rows;
const read = async (id: string) => (await t.inject({ url: `/api/v1/orders/${id}` })).json();

/** An order whose payment was initiated and which has waited an hour for its outcome. */
async function overdueOrder(userId: string): Promise<string> {
  const { id } = (await t.placeOrder({ userId })).json();
  await eventually(async () => ((await read(id)).status === 'AWAITING_PAYMENT' ? true : undefined));
  await sql(`UPDATE orders SET updated_at = now() - interval '1 hour' WHERE id = $1`, [id]);
  return id;
}

/** As if the simulated payment service had reached its decision (its callback lost on the way). */
const settledAtProvider = (id: string) =>
  sql(`UPDATE simulated_payments SET settles_at = now() WHERE order_id = $1`, [id]);

/** As if the backoff after the last check had run out. */
const dueAgain = (id: string) =>
  sql(`UPDATE orders SET payment_check_at = now() WHERE id = $1`, [id]);

describe('the payment sweeper', () => {
  it('applies the payment service’s record when the callback was lost: paid, or failed', async () => {
    const paid = await overdueOrder('sweep-paid');
    const declined = await overdueOrder('payfail-sweep');
    await settledAtProvider(paid);
    await settledAtProvider(declined);

    expect(await t.server.sweeper.sweep()).toMatchObject({ examined: 2, paid: 1, failed: 1 });
    expect((await read(paid)).status).toBe('PAID');
    expect((await read(declined)).statusHistory.at(-1)).toMatchObject({
      to: 'PAYMENT_FAILED',
      reason: 'card_declined',
    });
  });

  it('cancels an order still pending at the payment service after the payment timeout, releasing its stock', async () => {
    const id = await overdueOrder('paylost-carol');

    expect(await t.server.sweeper.sweep()).toMatchObject({ examined: 1, cancelled: 1 });
    expect((await read(id)).statusHistory.at(-1)).toMatchObject({
      to: 'CANCELLED',
      reason: 'payment_timeout',
      actor: 'sweeper',
    });
    await eventually(() =>
      t.peers.inventory.reservations.get(id) === 'released' ? true : undefined,
    );
  });

  it('fails an order the payment service does not know, releasing its stock and publishing the event', async () => {
    const id = await overdueOrder('forgotten-by-provider');
    await sql(`DELETE FROM simulated_payments WHERE order_id = $1`, [id]);

    expect(await t.server.sweeper.sweep()).toMatchObject({ examined: 1, unknown: 1 });
    expect((await read(id)).statusHistory.at(-1)).toMatchObject({
      to: 'PAYMENT_FAILED',
      reason: 'payment_unknown',
      actor: 'sweeper',
    });
    await eventually(() =>
      t.peers.inventory.reservations.get(id) === 'released' ? true : undefined,
    );
    await eventually(() =>
      published.some(
        (event) => event.subject === id && event.type === 'com.mallhive.order.payment-failed.v1',
      )
        ? true
        : undefined,
    );
  });

  it('asks an unreachable payment service again after a backoff that doubles, keeping the order counted as overdue', async () => {
    const id = await overdueOrder('paylost-while-down');
    const verify = t.peers.payments.verify;
    t.peers.payments.verify = async () => {
      throw new Error('payment service unreachable');
    };
    const nextCheckInSeconds = async () =>
      (
        await sql<{ checks: number; seconds: number }>(
          `SELECT payment_checks AS checks,
                  extract(epoch FROM payment_check_at - now())::float8 AS seconds
           FROM orders WHERE id = $1`,
          [id],
        )
      )[0];
    try {
      expect(await t.server.sweeper.sweep()).toMatchObject({ examined: 1, unreachable: 1 });
      expect((await read(id)).status).toBe('AWAITING_PAYMENT');
      // RECONCILIATION_INTERVAL is 1 minute: the first recheck comes a minute later, not at the next sweep.
      expect(await t.server.sweeper.sweep()).toMatchObject({ examined: 0 });
      const first = await nextCheckInSeconds();
      expect(first?.checks).toBe(1);
      expect(first?.seconds).toBeGreaterThan(50);
      expect(first?.seconds).toBeLessThanOrEqual(60);

      await dueAgain(id);
      expect(await t.server.sweeper.sweep()).toMatchObject({ examined: 1, unreachable: 1 });
      const second = await nextCheckInSeconds();
      expect(second?.checks).toBe(2);
      expect(second?.seconds).toBeGreaterThan(110);
      expect(second?.seconds).toBeLessThanOrEqual(120);

      const metrics = (await t.server.metricsApp.inject({ url: '/metrics' })).body;
      expect(metrics).toContain('order_service_orders_awaiting_payment_overdue 1');
      expect(metrics).toContain('order_service_payment_checks_total{outcome="unreachable"} 2');
    } finally {
      t.peers.payments.verify = verify;
    }

    await dueAgain(id);
    expect(await t.server.sweeper.sweep()).toMatchObject({ examined: 1, cancelled: 1 });
  });

  it('lets replicas share the overdue orders: each order is checked by one sweeper only', async () => {
    const ids = await Promise.all(
      Array.from({ length: 6 }, (_, index) => overdueOrder(`paylost-shared-${index}`)),
    );
    const verify = t.peers.payments.verify.bind(t.peers.payments);
    const asked: string[] = [];
    t.peers.payments.verify = async (paymentId) => {
      asked.push(paymentId);
      await sleep(50);
      return verify(paymentId);
    };
    const options = { paymentTimeoutMs: 15 * 60_000, intervalMs: 60_000 };
    const replicas = [
      new PaymentSweeper(t.server.context, options),
      new PaymentSweeper(t.server.context, options),
    ];
    try {
      const reports = await Promise.all(replicas.map((replica) => replica.sweep()));
      expect(reports.reduce((sum, report) => sum + report.cancelled, 0)).toBe(6);
      expect([...asked].sort()).toEqual(ids.map((id) => `sim-pay-${id}`).sort());
    } finally {
      t.peers.payments.verify = verify;
    }
  });
});

describe('the payment sweeper with DATABASE_POOL_MAX=1', () => {
  it('settles overdue orders while new orders keep being placed, all on the one connection', async () => {
    const small = await startTestServer({
      workers: true,
      env: { DATABASE_POOL_MAX: '1', SIMULATED_PAYMENT_DELAY_MS: '600000' },
    });
    try {
      const { id } = (await small.placeOrder({ userId: 'paylost-pool-of-one' })).json();
      await eventually(async () =>
        (
          await small.server.context.db.query(
            `SELECT 1 FROM orders WHERE id = $1 AND status = 'AWAITING_PAYMENT'`,
            [id],
          )
        ).rowCount === 1
          ? true
          : undefined,
      );
      await small.server.context.db.query(
        `UPDATE orders SET updated_at = now() - interval '1 hour' WHERE id = $1`,
        [id],
      );
      // A slow payment service: the sweep is still asking it while the orders below arrive.
      const verify = small.peers.payments.verify.bind(small.peers.payments);
      small.peers.payments.verify = async (paymentId) => {
        await sleep(300);
        return verify(paymentId);
      };

      const [report, ...placed] = await Promise.all([
        small.server.sweeper.sweep(),
        ...Array.from({ length: 10 }, () => small.placeOrder()),
      ]);
      expect(report).toMatchObject({ examined: 1, cancelled: 1 });
      expect(placed.map((response) => response.statusCode)).toEqual(Array(10).fill(201));
    } finally {
      await small.stop();
    }
  }, 60_000);
});
