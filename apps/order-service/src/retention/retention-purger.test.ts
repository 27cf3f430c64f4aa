import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimIdempotencyKey } from '../adapters/postgres/idempotency-store.ts';
import { insertPlacedOrder } from '../adapters/postgres/order-repository.ts';
import { deleteExpiredRows, RETENTION_PURGE_LOCK } from '../adapters/postgres/retention.ts';
import { samplePlacedOrder } from '../testing/sample-order.ts';
import type { TestServer } from '../testing/test-server.ts';
import { startTestServer, uniqueKey } from '../testing/test-server.ts';
import type { RetentionOptions } from './retention-purger.ts';
import { RetentionPurger } from './retention-purger.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const logger = pino({ level: 'silent' });

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});
// Each case counts what one purge deletes: it starts from empty tables.
beforeEach(async () => {
  await sql('DELETE FROM idempotency_keys');
  await sql('DELETE FROM processed_messages');
});

async function sql<Row extends Record<string, unknown>>(text: string, values: unknown[] = []) {
  return (await t.server.context.db.query<Row>(text, values)).rows;
}

/** A purger as a replica runs it (each batch on a connection of the pool). */
const purger = (options: Partial<RetentionOptions> = {}, db = t.server.context.db) =>
  new RetentionPurger(
    {
      db,
      clock: () => new Date(),
      logger,
      metrics: t.server.context.metrics,
    },
    {
      idempotencyMs: DAY,
      processedMessagesMs: 14 * DAY,
      intervalMs: 60_000,
      batchSize: 1_000,
      pauseMs: 0,
      ...options,
    },
  );

/** `count` completed idempotency records named `<prefix>-<n>`, stored `age` ago (an SQL interval). */
const storeKeys = (prefix: string, count: number, age: string) =>
  sql(
    `INSERT INTO idempotency_keys (key, request_hash, completed, response, created_at)
     SELECT $1 || '-' || n, 'hash', true, '{"statusCode":201,"headers":{},"body":"{}"}',
            now() - $2::interval
     FROM generate_series(1, $3::int) AS n`,
    [prefix, age, count],
  );
const storeMessages = (prefix: string, count: number, age: string) =>
  sql(
    `INSERT INTO processed_messages (message_id, processed_at)
     SELECT $1 || '-' || n, now() - $2::interval FROM generate_series(1, $3::int) AS n`,
    [prefix, age, count],
  );
const keysLeft = async () =>
  (await sql<{ key: string }>('SELECT key FROM idempotency_keys ORDER BY key')).map((r) => r.key);
const messagesLeft = async () =>
  (await sql<{ message_id: string }>('SELECT message_id FROM processed_messages ORDER BY 1')).map(
    (row) => row.message_id,
  );

describe('the retention purge', () => {
  it('deletes idempotency records and processed message ids older than their retention, and keeps the younger ones', async () => {
    await storeKeys('expired', 3, '25 hours');
    await storeKeys('live', 2, '23 hours');
    await storeMessages('expired', 2, '15 days');
    // Older than the idempotency retention, but processed message ids have their own, longer one.
    await storeMessages('live', 2, '13 days');

    expect(await purger().purge()).toMatchObject({
      outcome: 'done',
      deleted: { idempotency_keys: 3, processed_messages: 2 },
    });
    expect(await keysLeft()).toEqual(['live-1', 'live-2']);
    expect(await messagesLeft()).toEqual(['live-1', 'live-2']);
  });

  it('deletes in batches of the configured size until nothing expired is left', async () => {
    await storeKeys('expired', 2_500, '2 days');
    await storeKeys('live', 10, '1 hour');

    const report = await purger({ batchSize: 1_000 }).purge();
    expect(report.deleted.idempotency_keys).toBe(2_500);
    // 1,000 + 1,000 + 500 idempotency records, then one batch finding no expired message id.
    expect(report.batches).toBe(4);
    expect(await keysLeft()).toHaveLength(10);
  });

  it('removes an abandoned unfinished claim older than the retention: its order can never be stored afterwards and the key is claimed afresh; a young unfinished claim stays', async () => {
    const presenceKey = t.server.context.presence.key;
    const abandoned = { key: uniqueKey('abandoned'), orderId: randomUUID() };
    const running = { key: uniqueKey('running'), orderId: randomUUID() };
    for (const claim of [abandoned, running])
      await claimIdempotencyKey(t.server.context.db, claim.key, 'hash', {
        orderId: claim.orderId,
        presenceKey,
      });
    await sql(
      `UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`,
      [abandoned.key],
    );

    expect((await purger().purge()).deleted.idempotency_keys).toBe(1);
    expect(await keysLeft()).toEqual([running.key]);
    // The young claim still protects its request: a second request with the key must wait.
    expect(
      await claimIdempotencyKey(t.server.context.db, running.key, 'hash', {
        orderId: randomUUID(),
        presenceKey,
      }),
    ).toEqual({ outcome: 'in_progress' });
    // Had the abandoned request come back to store its order, it could not: the claim is gone …
    const response = { statusCode: 201, headers: {}, body: '{}' };
    expect(
      await insertPlacedOrder(
        t.server.context.db,
        samplePlacedOrder({ id: abandoned.orderId }),
        [],
        { key: abandoned.key, response },
      ),
    ).toBe(false);
    // … and a retry with the key is a new request.
    expect(
      await claimIdempotencyKey(t.server.context.db, abandoned.key, 'hash', {
        orderId: randomUUID(),
        presenceKey,
      }),
    ).toEqual({ outcome: 'claimed' });
  });

  it('treats a request that reuses a key after its record expired as a new request: a new order, 201', async () => {
    const key = uniqueKey('replay-after-expiry');
    const first = await t.placeOrder({ userId: 'retention-replay' }, key);
    expect(first.statusCode).toBe(201);
    const replay = await t.placeOrder({ userId: 'retention-replay' }, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(first.json().id);

    // The one record there is: the key's, stored under its caller (iss + sub), 25 hours ago.
    expect(await keysLeft()).toHaveLength(1);
    await sql(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours'`);
    // The service's own purger, with its configured (default) retention of 24 h.
    expect((await t.server.purger.purge()).deleted.idempotency_keys).toBe(1);

    const again = await t.placeOrder({ userId: 'retention-replay' }, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.json().id).not.toBe(first.json().id);
    const metrics = (await t.server.metricsApp.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(
      /order_service_retention_purged_rows_total\{table="idempotency_keys"\} [1-9]/,
    );
    expect(metrics).toMatch(/order_service_retention_purge_runs_total\{outcome="done"\} [1-9]/);
  });

  it('lets replicas that purge at the same time delete every expired row once between them', async () => {
    await storeKeys('expired', 3_000, '2 days');
    const reports = await Promise.all(
      [purger({ batchSize: 100 }), purger({ batchSize: 100 })].map((replica) => replica.purge()),
    );
    // One may find the other's batch holding the lock and leave it the rest; one always finishes.
    expect(reports.map((report) => report.outcome)).toContain('done');
    expect(reports.reduce((sum, report) => sum + report.deleted.idempotency_keys, 0)).toBe(3_000);
    expect(await keysLeft()).toEqual([]);
  });

  it('with DATABASE_POOL_MAX=1, lets orders be placed while it purges, on the one connection', async () => {
    const small = await startTestServer({ env: { DATABASE_POOL_MAX: '1' } });
    try {
      await small.server.context.db.query(
        `INSERT INTO idempotency_keys (key, request_hash, completed, created_at)
         SELECT 'expired-' || n, 'hash', true, now() - interval '2 days'
         FROM generate_series(1, 3000) AS n`,
      );
      const [report, ...placed] = await Promise.all([
        purger({ batchSize: 200 }, small.server.context.db).purge(),
        ...Array.from({ length: 10 }, () => small.placeOrder({ userId: 'placed-pool-of-one' })),
      ]);
      expect(report).toMatchObject({ outcome: 'done', deleted: { idempotency_keys: 3_000 } });
      expect(placed.map((response) => response.statusCode)).toEqual(Array(10).fill(201));
    } finally {
      await small.stop();
    }
  }, 60_000);

  // PGlite is one session behind every connection: its advisory locks and row locks are shared by all.
  describe.skipIf(!process.env.DATABASE_URL)('on real PostgreSQL', () => {
    /** A connection of its own, as another replica's (or a request's) transaction would hold one. */
    async function otherConnection(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: t.database.url });
      await client.connect();
      return client;
    }

    it('lets one replica delete at a time: while another replica’s batch holds the lock, a run deletes nothing and leaves the rest to it', async () => {
      await storeKeys('expired', 25, '2 days');
      const otherReplica = await otherConnection();
      try {
        await otherReplica.query('BEGIN');
        await otherReplica.query('SELECT pg_advisory_xact_lock($1)', [RETENTION_PURGE_LOCK]);

        expect(await purger().purge()).toMatchObject({
          outcome: 'skipped',
          batches: 0,
          deleted: { idempotency_keys: 0, processed_messages: 0 },
        });
        expect(await keysLeft()).toHaveLength(25);

        await otherReplica.query('COMMIT');
        expect(await purger().purge()).toMatchObject({
          outcome: 'done',
          deleted: { idempotency_keys: 25 },
        });
      } finally {
        await otherReplica.end();
      }
    });

    it('does not hold up orders, nor wait for the rows they hold', async () => {
      await storeKeys('expired', 500, '2 days');
      const batch = await otherConnection();
      const request = await otherConnection();
      try {
        // A purge batch in progress: it has deleted its rows and holds them until it commits.
        await batch.query('BEGIN');
        await batch.query('SELECT pg_advisory_xact_lock($1)', [RETENTION_PURGE_LOCK]);
        expect(
          await deleteExpiredRows(batch, 'idempotency_keys', new Date(Date.now() - DAY), 400),
        ).toBe(400);
        // Orders are placed meanwhile (they would time out were they waiting for the batch).
        const placed = await Promise.all(
          Array.from({ length: 5 }, () => t.placeOrder({ userId: 'placed-while-purging' })),
        );
        expect(placed.map((response) => response.statusCode)).toEqual(Array(5).fill(201));
        await batch.query('COMMIT');

        // A request holds one expired record (say, a late retry reading it): the purge leaves it for the
        // next run instead of waiting for it.
        await request.query('BEGIN');
        await request.query(
          `SELECT key FROM idempotency_keys WHERE key LIKE 'expired-%' LIMIT 1 FOR UPDATE`,
        );
        expect((await purger().purge()).deleted.idempotency_keys).toBe(99);
        await request.query('COMMIT');
        expect((await purger().purge()).deleted.idempotency_keys).toBe(1);
      } finally {
        await Promise.all([batch.end(), request.end()]);
      }
    });
  });
});
