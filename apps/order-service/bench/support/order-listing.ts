import type pg from 'pg';
import type { Queryable, Statement } from '../../src/adapters/postgres/database.ts';
import type { OrderPageQuery } from '../../src/adapters/postgres/order-repository.ts';
import { listUserOrders } from '../../src/adapters/postgres/order-repository.ts';
import { routePaths } from '@mallhive/order-contracts';

/** The index a user's order listing must use (migrations: a user's orders, newest first). */
export const LISTING_INDEX = 'orders_by_user';

export const PAGE_SIZE = 20;

/**
 * Fills the (empty) order tables with `orders` orders, each with two items and one history row (a whole
 * lifecycle's rows would lie side by side and cost a listing little more, but double the seeding), of which
 * `userOrders` belong to `userId` — spread evenly through the table and through time, as a customer's orders
 * are among everyone else's — and the rest to about 100,000 other customers. Set-based (generate_series)
 * so a million orders take seconds, not the hours the API would; then VACUUM ANALYZE, as autovacuum would
 * have done by the time a table got this big. Returns the seconds it took.
 */
export async function seedOrders(
  db: pg.Pool,
  options: { orders: number; userOrders: number; userId: string },
): Promise<number> {
  const started = performance.now();
  const stride = Math.floor(options.orders / options.userOrders);
  // The seeded ids: md5 of the sequence number read as a uuid, the same in every statement below.
  const orderId = `md5('order-' || n)::uuid`;
  const status = `(ARRAY['DELIVERED', 'SHIPPED', 'PAID', 'CANCELLED'])[1 + n % 4]`;
  const client = await db.connect();
  try {
    // Bulk loading, not order traffic: no wait for the WAL flush of each statement.
    await client.query(`SET synchronous_commit = off; SET maintenance_work_mem = '256MB'`);
    // Keys and indexes are built once after the load, as a bulk load does: maintaining three random-uuid
    // B-trees row by row made the load about ten times slower.
    const rebuild = await dropKeysAndIndexes(client, SEEDED_TABLES);
    await client.query(
      `INSERT INTO orders (id, user_id, status, currency, subtotal, total, customer_email, shipping_address,
                           version, created_at, updated_at)
       SELECT ${orderId},
              CASE WHEN n % $2 = 0 AND n / $2 <= $3 THEN $4 ELSE 'seed-user-' || (n % 99991) END,
              ${status}, 'EUR', 12963, 12963,
              'customer-' || (n % 99991) || '@example.com',
              '{"name": "Ada Lovelace", "line1": "12 St James Square", "city": "London",
                "postalCode": "SW1Y 4JH", "country": "GB"}'::jsonb,
              3, at, at
       FROM generate_series(1, $1::int) AS n,
            LATERAL (SELECT timestamptz '2026-11-30T00:00:00Z' - make_interval(secs => n * 20)) AS t(at)`,
      [options.orders, stride, options.userOrders, options.userId],
    );
    await client.query(
      `INSERT INTO order_items (order_id, position, product_id, quantity, unit_price, line_total)
       SELECT ${orderId}, p, 'sku-' || ((n + p) % 500), 1 + p, 4321, 4321 * (1 + p)
       FROM generate_series(1, $1::int) AS n, generate_series(0, 1) AS p`,
      [options.orders],
    );
    await client.query(
      `INSERT INTO order_status_history (order_id, from_status, to_status, reason, actor, at)
       SELECT ${orderId}, NULL, ${status}, NULL, 'seed',
              timestamptz '2026-11-30T00:00:00Z' - make_interval(secs => n * 20)
       FROM generate_series(1, $1::int) AS n`,
      [options.orders],
    );
    for (const statement of rebuild) await client.query(statement);
    await client.query('VACUUM ANALYZE orders, order_items, order_status_history');
  } finally {
    client.release();
  }
  return (performance.now() - started) / 1000;
}

const SEEDED_TABLES = ['orders', 'order_items', 'order_status_history'];

/**
 * Drops the primary keys, unique and foreign keys and the other indexes of `tables`, as the catalog
 * describes them (so it keeps up with the migrations), and returns the statements that restore them:
 * keys first, then indexes, then foreign keys (which check every row again).
 */
async function dropKeysAndIndexes(client: pg.PoolClient, tables: readonly string[]) {
  const { rows: constraints } = await client.query<{
    table: string;
    name: string;
    def: string;
    type: string;
  }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def, contype AS type
     FROM pg_constraint WHERE conrelid = ANY($1::regclass[]) AND contype IN ('p', 'u', 'f')`,
    [tables],
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS def FROM pg_index
     WHERE indrelid = ANY($1::regclass[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)`,
    [tables],
  );
  const foreign = constraints.filter((constraint) => constraint.type === 'f');
  const keys = constraints.filter((constraint) => constraint.type !== 'f');
  const drop = (constraint: { table: string; name: string }) =>
    `ALTER TABLE ${constraint.table} DROP CONSTRAINT ${constraint.name}`;
  const add = (constraint: { table: string; name: string; def: string }) =>
    `ALTER TABLE ${constraint.table} ADD CONSTRAINT ${constraint.name} ${constraint.def}`;
  for (const constraint of foreign) await client.query(drop(constraint));
  for (const constraint of keys) await client.query(drop(constraint));
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
  return [...keys.map(add), ...indexes.map((index) => index.def), ...foreign.map(add)];
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the very statement the service sends for a page of a user's orders: the
 * repository's own `listUserOrders` runs against a Queryable that explains instead of executing, so the
 * plan cannot drift from the query.
 */
export async function explainListing(db: pg.Pool, query: OrderPageQuery): Promise<string> {
  const plan: string[] = [];
  const explaining: Queryable = {
    async query(statement: string | Statement, params?: unknown[]) {
      const text = typeof statement === 'string' ? statement : statement.text;
      const result = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${text}`,
        params,
      );
      plan.push(...result.rows.map((row) => row['QUERY PLAN']));
      return { ...result, rows: [], rowCount: 0 } as unknown as pg.QueryResult;
    },
  } as Queryable;
  await listUserOrders(explaining, query);
  return plan.join('\n');
}

/** Where the oldest order on page `page` (1-based) of `userId`'s listing sits, for a deep page's plan. */
export async function positionAfterPage(db: pg.Pool, userId: string, page: number) {
  const { rows } = await db.query<{ created_at: Date; id: string }>(
    `SELECT created_at, id FROM orders WHERE user_id = $1
     ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
    [userId, page * PAGE_SIZE - 1],
  );
  const row = rows[0];
  return row ? { createdAt: row.created_at, id: row.id } : undefined;
}

export const listingPath = (userId: string, cursor?: string) =>
  `${routePaths.apiPrefix}/users/${encodeURIComponent(userId)}/orders?limit=${PAGE_SIZE}` +
  (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');

/**
 * Follows `nextCursor` through the whole listing, as a client paging to the end would, and returns the
 * path of every page (the first without a cursor).
 */
export async function pagePaths(
  baseUrl: string,
  userId: string,
  authorization: string,
): Promise<string[]> {
  const paths = [listingPath(userId)];
  for (;;) {
    const path = paths.at(-1) ?? '';
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization } });
    if (response.status !== 200)
      throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { nextCursor: string | null };
    if (!page.nextCursor) return paths;
    paths.push(listingPath(userId, page.nextCursor));
  }
}
