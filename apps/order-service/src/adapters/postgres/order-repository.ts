import type { Order, ShippingAddress, StatusChange } from '../../domain/order.ts';
import type { OrderStatus } from '../../domain/order-status.ts';
import { currentTraceContext } from '../../observability/trace-context.ts';
import type { OutboxEntry } from '../../outbox/outbox-entry.ts';
import type { Queryable, Statement } from './database.ts';

/**
 * Orders, their items and status history. Each write is ONE statement (data-modifying CTEs), so it is
 * atomic without an explicit transaction and costs a single round trip.
 */

/**
 * Inserts the outbox entries in parameter `entries` (a JSON array), once per row of `source` if given, with
 * the trace context in parameters `traceparent` and `tracestate` (see `traceContextParams`).
 */
const insertOutbox = (entries: string, traceparent: string, tracestate: string, source = '') => `
  INSERT INTO outbox (id, order_id, kind, payload, traceparent, tracestate)
  SELECT (e->>'id')::uuid, (e->>'orderId')::uuid, e->'followUp'->>'kind', e, ${traceparent}::text, ${tracestate}::text
  FROM jsonb_array_elements(${entries}::jsonb) AS e${source ? `, ${source}` : ''}`;

/** The trace context of the work writing the entries: the dispatcher carries them out as part of it. */
function traceContextParams(): [string | null, string | null] {
  const traceContext = currentTraceContext();
  return [traceContext?.traceparent ?? null, traceContext?.tracestate ?? null];
}

const INSERT_PLACED_ORDER: Statement = {
  name: 'insert-placed-order',
  text: `
  WITH claim AS (
    UPDATE idempotency_keys SET completed = true, response = $14::jsonb
    WHERE key = $13 AND order_id = $1 AND NOT completed
    RETURNING key
  ), placed AS (
    INSERT INTO orders (id, user_id, status, currency, subtotal, total, customer_email, shipping_address,
                        version, created_at, updated_at)
    SELECT $1::uuid, $2::text, $3::text, $4::char(3), $5::bigint, $6::bigint, $7::text, $8::jsonb,
           $9::integer, $10::timestamptz, $10::timestamptz
    FROM claim
    RETURNING id
  ), items AS (
    INSERT INTO order_items (order_id, position, product_id, quantity, unit_price, line_total)
    SELECT placed.id, i.ordinality - 1, i.item->>'productId', (i.item->>'quantity')::int,
           (i.item->>'unitPrice')::bigint, (i.item->>'lineTotal')::bigint
    FROM placed, jsonb_array_elements($11::jsonb) WITH ORDINALITY AS i(item, ordinality)
  ), history AS (
    INSERT INTO order_status_history (order_id, from_status, to_status, reason, actor, at)
    SELECT placed.id, NULL, $3, NULL, $17::text, $10 FROM placed
  ), outbox AS (${insertOutbox('$12', '$15', '$16', 'placed')}
  )
  SELECT id FROM placed`,
};

/**
 * Stores a placed order with its items, history, outbox entries and the response for its idempotency key,
 * but only while the key's claim is still this order's (not taken over by a retry). False: nothing stored.
 */
export async function insertPlacedOrder(
  db: Queryable,
  order: Order,
  outbox: readonly OutboxEntry[],
  idempotency: { key: string; response: unknown },
): Promise<boolean> {
  const result = await db.query(INSERT_PLACED_ORDER, [
    order.id,
    order.userId,
    order.status,
    order.currency,
    order.subtotal,
    order.total,
    order.customerEmail,
    order.shippingAddress,
    order.version,
    order.createdAt,
    JSON.stringify(order.items),
    JSON.stringify(outbox),
    idempotency.key,
    JSON.stringify(idempotency.response),
    ...traceContextParams(),
    order.statusHistory[0]?.actor,
  ]);
  return result.rowCount === 1;
}

const SAVE_CHANGE: Statement = {
  name: 'save-order-change',
  text: `
  WITH changed AS (
    UPDATE orders
    SET status = $3, version = $4, updated_at = $5, payment_id = $6, payment_status = $7, shipment = $8
    WHERE id = $1 AND version = $2
    RETURNING id
  ), history AS (
    INSERT INTO order_status_history (order_id, from_status, to_status, reason, actor, at)
    SELECT id, $9, $3, $10, $11, $5 FROM changed WHERE $13
  ), outbox AS (${insertOutbox('$12', '$14', '$15', 'changed')}
  )
  SELECT count(*)::int AS changed FROM changed`,
};

/**
 * Stores `after` if the order is still at `before.version` (optimistic locking), with a history row when
 * the status changed and the outbox entries. False when someone else changed the order first: nothing
 * was written.
 */
export async function saveOrderChange(
  db: Queryable,
  before: Order,
  after: Order,
  outbox: readonly OutboxEntry[],
): Promise<boolean> {
  const statusChanged = after.status !== before.status;
  const change = after.statusHistory.at(-1) as StatusChange;
  const result = await db.query<{ changed: number }>(SAVE_CHANGE, [
    after.id,
    before.version,
    after.status,
    after.version,
    after.updatedAt,
    after.payment?.paymentId ?? null,
    after.payment?.status ?? null,
    after.shipment,
    change.from,
    change.reason,
    change.actor,
    JSON.stringify(outbox),
    statusChanged,
    ...traceContextParams(),
  ]);
  return result.rows[0]?.changed === 1;
}

const ORDER_COLUMNS = `
  o.id, o.user_id, o.status, o.currency, o.subtotal, o.total, o.customer_email, o.shipping_address,
  o.payment_id, o.payment_status, o.shipment, o.version, o.created_at, o.updated_at,
  (SELECT json_agg(json_build_object('productId', product_id, 'quantity', quantity,
                                     'unitPrice', unit_price, 'lineTotal', line_total) ORDER BY position)
     FROM order_items WHERE order_id = o.id) AS items,
  (SELECT json_agg(json_build_object('from', from_status, 'to', to_status, 'reason', reason,
                                     'actor', actor, 'at', at) ORDER BY id)
     FROM order_status_history WHERE order_id = o.id) AS history`;

interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  currency: string;
  subtotal: number;
  total: number;
  customer_email: string;
  shipping_address: ShippingAddress;
  payment_id: string | null;
  payment_status: 'pending' | 'succeeded' | 'failed' | null;
  shipment: { carrier: string; trackingNumber: string } | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  items: Order['items'];
  history: {
    from: OrderStatus | null;
    to: OrderStatus;
    reason: string | null;
    actor: string;
    at: string;
  }[];
}

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    currency: row.currency,
    items: row.items,
    subtotal: row.subtotal,
    total: row.total,
    customerEmail: row.customer_email,
    shippingAddress: row.shipping_address,
    payment:
      row.payment_id && row.payment_status
        ? { paymentId: row.payment_id, status: row.payment_status }
        : null,
    shipment: row.shipment,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    statusHistory: row.history.map((change) => ({ ...change, at: new Date(change.at) })),
  };
}

const FIND_ORDER: Statement = {
  name: 'find-order',
  text: `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`,
};

export async function findOrder(db: Queryable, id: string): Promise<Order | undefined> {
  const result = await db.query<OrderRow>(FIND_ORDER, [id]);
  const row = result.rows[0];
  return row ? toOrder(row) : undefined;
}

export interface OrderPageQuery {
  readonly userId: string;
  readonly limit: number;
  readonly status?: OrderStatus;
  /** Keyset position: only orders strictly older than this (created_at, id) pair. */
  readonly before?: { readonly createdAt: Date; readonly id: string };
}

/** A user's orders, newest first; fetches one extra row to tell whether another page exists. */
export async function listUserOrders(
  db: Queryable,
  query: OrderPageQuery,
): Promise<{ orders: Order[]; hasMore: boolean }> {
  const result = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders o
     WHERE o.user_id = $1
       AND ($2::text IS NULL OR o.status = $2)
       AND ($3::timestamptz IS NULL OR (o.created_at, o.id) < ($3, $4::uuid))
     ORDER BY o.created_at DESC, o.id DESC
     LIMIT $5`,
    [
      query.userId,
      query.status ?? null,
      query.before?.createdAt ?? null,
      query.before?.id ?? null,
      query.limit + 1,
    ],
  );
  const orders = result.rows.slice(0, query.limit).map(toOrder);
  return { orders, hasMore: result.rows.length > query.limit };
}
