import type pg from 'pg';

/** Lifecycle events in the order the service writes them for one order (its first four steps). */
const LIFECYCLE = [
  { type: 'placed', status: 'PENDING', previous: null },
  { type: 'payment_initiated', status: 'AWAITING_PAYMENT', previous: 'PENDING' },
  { type: 'paid', status: 'PAID', previous: 'AWAITING_PAYMENT' },
  { type: 'fulfilment_started', status: 'FULFILLING', previous: 'PAID' },
] as const;

export const LIFECYCLE_EVENT_TYPES: readonly string[] = LIFECYCLE.map((step) => step.type);

/**
 * Writes `events` event.publish entries straight into the outbox, shaped exactly like those the service
 * writes (a PublishEntry: the step's whole event, the one copy of it since issue 14's layout — the other
 * follow-ups carry only the step's facts), `eventsPerOrder` consecutive lifecycle steps per order.
 * Rows are interleaved as real traffic interleaves them: all orders' first step, then all second steps…
 * Returns the ids written, for the exactly-once check.
 */
export async function fillOutbox(
  db: pg.Pool,
  events: number,
  eventsPerOrder: number,
): Promise<Set<string>> {
  if (eventsPerOrder < 1 || eventsPerOrder > LIFECYCLE.length) {
    throw new Error(`eventsPerOrder must be 1–${LIFECYCLE.length}`);
  }
  const orders = Math.ceil(events / eventsPerOrder);
  const { rows } = await db.query<{ id: string }>(
    `WITH orders AS (
       SELECT gen_random_uuid() AS order_id, n FROM generate_series(1, $2::int) AS n
     ), steps AS (
       SELECT step, (($3::jsonb) -> (step - 1)) AS lifecycle FROM generate_series(1, $4::int) AS step
     ), entries AS (
       SELECT gen_random_uuid() AS id, o.order_id, s.step, o.n, s.lifecycle
       FROM steps s CROSS JOIN orders o
       ORDER BY s.step, o.n
       LIMIT $1
     )
     INSERT INTO outbox (id, order_id, kind, payload)
     SELECT id, order_id, 'event.publish', jsonb_build_object(
       'id', id,
       'orderId', order_id,
       'followUp', jsonb_build_object('kind', 'event.publish'),
       'event', jsonb_build_object(
         'type', lifecycle ->> 'type',
         'orderId', order_id,
         'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'data', jsonb_build_object(
           'orderId', order_id,
           'userId', 'user-' || (n % 1000),
           'status', lifecycle ->> 'status',
           'previousStatus', lifecycle -> 'previous',
           'reason', NULL,
           'total', jsonb_build_object('amount', 12345, 'currency', 'EUR'),
           'items', jsonb_build_array(
             jsonb_build_object('productId', 'sku-apple', 'quantity', 2, 'unitPrice', 4321, 'lineTotal', 8642),
             jsonb_build_object('productId', 'sku-pear', 'quantity', 1, 'unitPrice', 3703, 'lineTotal', 3703)),
           'payment', NULL,
           'shipment', NULL)))
     FROM entries
     ORDER BY step, n
     RETURNING id`,
    [events, orders, JSON.stringify(LIFECYCLE), eventsPerOrder],
  );
  // A backlog that built up during an outage would have been analysed by autovacuum by now.
  await db.query('VACUUM ANALYZE outbox');
  return new Set(rows.map((row) => row.id));
}
