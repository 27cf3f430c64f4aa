/**
 * Bytes written per placed order (issue 14, write amplification): places ORDERS orders (default 1,000)
 * with the service's own statements (the idempotency claim, then the one-statement insert of order, items,
 * history, outbox entries and stored response) on a fresh database, and reports the WAL written
 * (pg_current_wal_lsn() before and after) and each table's size with its indexes and TOAST.
 *
 *   cd apps/order-service && node bench/write-volume.ts
 *
 * Sequential on purpose: the WAL difference then holds only these orders (on a shared server other
 * databases' writes would land in the same WAL; the table sizes are exact either way).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Queryable } from '../src/adapters/postgres/database.ts';
import { claimIdempotencyKey } from '../src/adapters/postgres/idempotency-store.ts';
import { insertPlacedOrder } from '../src/adapters/postgres/order-repository.ts';
import { migrate } from '../src/adapters/postgres/migrate.ts';
import type { PlaceOrderRequest } from '../src/application/place-order.ts';
import { outboxEntriesFor } from '../src/outbox/outbox-entry.ts';
import { orderBody } from '../src/testing/test-server.ts';
import { readBenchSettings } from './support/bench-settings.ts';
import { createBenchmarkDatabase } from './support/benchmark-database.ts';
import { placedOrder } from './support/placed-order.ts';

const ORDERS = Number(process.env.ORDERS ?? 1000);
const TABLES = ['orders', 'order_items', 'order_status_history', 'outbox', 'idempotency_keys'];

const database = await createBenchmarkDatabase(readBenchSettings().adminUrl);
const pool = new pg.Pool({ connectionString: database.url, max: 1 });
const db: Queryable = { query: (text, params) => pool.query(text, params) };
try {
  await migrate(database.url);
  // What the route handler receives for the benchmark's body.
  const body = JSON.parse(JSON.stringify(orderBody())) as PlaceOrderRequest;
  const walAt = async () =>
    (await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
  const before = await walAt();
  for (let index = 0; index < ORDERS; index += 1) {
    const key = `volume-${index}`;
    const orderId = randomUUID();
    await claimIdempotencyKey(db, key, 'f'.repeat(64), { orderId, presenceKey: 1 });
    const { order, response } = placedOrder(body, orderId);
    await insertPlacedOrder(db, order, outboxEntriesFor(order, randomUUID), { key, response });
  }
  const after = await walAt();
  const {
    rows: [wal],
  } = await pool.query<{ bytes: string }>(
    'SELECT pg_wal_lsn_diff($2::pg_lsn, $1::pg_lsn)::bigint AS bytes',
    [before, after],
  );
  console.log(`${ORDERS} orders of ${body.items.length} items each`);
  console.log(`WAL written: ${(Number(wal!.bytes) / ORDERS).toFixed(0)} bytes per order`);
  for (const table of TABLES) {
    const {
      rows: [size],
    } = await pool.query<{ total: string; payload: string | null }>(
      `SELECT pg_total_relation_size($1::regclass)::bigint AS total`,
      [table],
    );
    console.log(
      `${table.padEnd(22)} ${(Number(size!.total) / ORDERS).toFixed(0).padStart(6)} bytes per order (with indexes, TOAST)`,
    );
  }
  const {
    rows: [outbox],
  } = await pool.query<{ rows: number; bytes: number }>(
    `SELECT count(*)::int AS rows, sum(pg_column_size(o.*))::int AS bytes FROM outbox o`,
  );
  console.log(
    `outbox rows: ${(outbox!.rows / ORDERS).toFixed(1)} per order, ${(outbox!.bytes / outbox!.rows).toFixed(0)} bytes per row (tuple)`,
  );
} finally {
  await pool.end();
  await database.drop();
}
