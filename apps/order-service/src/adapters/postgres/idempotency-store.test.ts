import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePlacedOrder } from '../../testing/sample-order.ts';
import type { TestDatabase } from '@mallhive/testing';
import { createTestDatabase } from '../../testing/test-database.ts';
import { Database } from './database.ts';
import { claimIdempotencyKey, settleClaim } from './idempotency-store.ts';
import { migrate } from './migrate.ts';
import { insertPlacedOrder } from './order-repository.ts';
import { ProcessPresence } from './presence.ts';

const logger = pino({ level: 'silent' });
let database: TestDatabase;
let db: Database;
let alive: ProcessPresence;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrate(database.url);
  const connectionConfig = async () => ({ connectionString: database.url });
  db = await Database.open({ connectionConfig, max: 4, logger });
  alive = await ProcessPresence.start({ connectionConfig, logger });
});
afterAll(async () => {
  await alive.stop();
  await db.close();
  await database.drop();
});

const HASH = 'a'.repeat(64);
let keys = 0;
const newKey = () => `claim-spec-${++keys}`;
const holder = (presenceKey: number) => ({ orderId: randomUUID(), presenceKey });
/** A presence key no process holds: its process is gone. */
const GONE = 7;

const response = { statusCode: 201, headers: {}, body: '{"stored":true}' };
const storeOrder = (key: string, orderId: string) =>
  insertPlacedOrder(db, samplePlacedOrder({ id: orderId }), [], { key, response });

describe('idempotency claims', () => {
  it('refuse a second request while the first one’s process is alive', async () => {
    const key = newKey();
    expect(await claimIdempotencyKey(db, key, HASH, holder(alive.key))).toEqual({
      outcome: 'claimed',
    });
    expect(await claimIdempotencyKey(db, key, HASH, holder(alive.key))).toEqual({
      outcome: 'in_progress',
    });
  });

  it('pass at once to a retry when the process holding the claim is gone', async () => {
    const key = newKey();
    const dead = holder(GONE);
    await claimIdempotencyKey(db, key, HASH, dead);

    const retry = holder(alive.key);
    expect(await claimIdempotencyKey(db, key, HASH, retry)).toEqual({ outcome: 'claimed' });
    // The dead request's order can no longer be stored under the key; the retry's can.
    expect(await storeOrder(key, dead.orderId)).toBe(false);
    expect(await storeOrder(key, retry.orderId)).toBe(true);
    expect(await claimIdempotencyKey(db, key, HASH, holder(alive.key))).toEqual({
      outcome: 'replay',
      response,
    });
  });

  it('pass to a retry after 60 s even when the holder looks alive (the last resort)', async () => {
    const key = newKey();
    await claimIdempotencyKey(db, key, HASH, holder(alive.key));
    await db.query(
      `UPDATE idempotency_keys SET created_at = now() - interval '61 seconds' WHERE key = $1`,
      [key],
    );
    expect(await claimIdempotencyKey(db, key, HASH, holder(alive.key))).toEqual({
      outcome: 'claimed',
    });
  });
});

describe('settling a placement whose outcome is unknown', () => {
  it('frees the key when the order was not stored, and the order can never be stored afterwards', async () => {
    const key = newKey();
    const mine = holder(alive.key);
    await claimIdempotencyKey(db, key, HASH, mine);

    expect(await settleClaim(db, key, mine.orderId)).toEqual({ stored: false });
    expect(await storeOrder(key, mine.orderId)).toBe(false);
    expect(await claimIdempotencyKey(db, key, HASH, holder(alive.key))).toEqual({
      outcome: 'claimed',
    });
  });

  it('returns the stored response when the order was stored and only the answer was lost', async () => {
    const key = newKey();
    const mine = holder(alive.key);
    await claimIdempotencyKey(db, key, HASH, mine);
    await storeOrder(key, mine.orderId);

    expect(await settleClaim(db, key, mine.orderId)).toEqual({ stored: true, response });
  });

  it('knows a stored order as stored even after the retention purge deleted its idempotency record', async () => {
    const key = newKey();
    const mine = holder(alive.key);
    await claimIdempotencyKey(db, key, HASH, mine);
    await storeOrder(key, mine.orderId);
    await db.query('DELETE FROM idempotency_keys WHERE key = $1', [key]);

    expect(await settleClaim(db, key, mine.orderId)).toEqual({ stored: true, response: undefined });
  });

  it('says "not stored" for an order whose claim a retry took over', async () => {
    const key = newKey();
    const dead = holder(GONE);
    await claimIdempotencyKey(db, key, HASH, dead);
    const retry = holder(alive.key);
    await claimIdempotencyKey(db, key, HASH, retry);
    await storeOrder(key, retry.orderId);

    expect(await settleClaim(db, key, dead.orderId)).toEqual({ stored: false });
  });
});

describe('the presence lock', () => {
  it.skipIf(!process.env.DATABASE_URL)(
    'is taken again after its connection is lost, so the process keeps its claims (real PostgreSQL: PGlite has no backend to terminate alone)',
    async () => {
      const presence = await ProcessPresence.start({
        connectionConfig: async () => ({ connectionString: database.url }),
        logger,
      });
      const holderOf = async (presenceKey: number) =>
        (
          await db.query<{ pid: number }>(
            `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
               AND objsubid = 2 AND objid = $1::oid`,
            [presenceKey],
          )
        ).rows[0]?.pid;
      try {
        const key = newKey();
        await claimIdempotencyKey(db, key, HASH, holder(presence.key));
        const lost = await holderOf(presence.key);
        await db.query('SELECT pg_terminate_backend($1)', [lost]);

        await expect
          .poll(async () => {
            const pid = await holderOf(presence.key);
            return pid !== undefined && pid !== lost;
          })
          .toBe(true);
        expect(await claimIdempotencyKey(db, key, HASH, holder(alive.key))).toEqual({
          outcome: 'in_progress',
        });
      } finally {
        await presence.stop();
      }
    },
  );
});
