import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@mallhive/testing';
import { createTestDatabase } from '../../testing/test-database.ts';
import { Database } from './database.ts';

/**
 * A PostgreSQL server that rejects every password, as RDS does with the old password right after a
 * rotation: it answers the startup message with ErrorResponse SQLSTATE 28P01.
 */
function startRejectingServer(): Promise<Server> {
  const field = (code: string, value: string) =>
    Buffer.concat([Buffer.from(code), Buffer.from(value), Buffer.from([0])]);
  const fields = Buffer.concat([
    field('S', 'FATAL'),
    field('C', '28P01'),
    field('M', 'password authentication failed'),
    Buffer.from([0]),
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(fields.length + 4);
  const error = Buffer.concat([Buffer.from('E'), length, fields]);
  const server = createServer((socket) => socket.once('data', () => socket.end(error)));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let database: TestDatabase;
let rejecting: Server;
beforeAll(async () => {
  database = await createTestDatabase();
  rejecting = await startRejectingServer();
});
afterAll(async () => {
  rejecting.close();
  await database.drop();
});

describe('database credentials rotation', () => {
  it('re-reads the credentials when the password is rejected, and the query still succeeds', async () => {
    const stale = {
      host: '127.0.0.1',
      port: (rejecting.address() as AddressInfo).port,
      user: 'order_service',
      password: 'old',
    };
    const reads: string[] = [];
    const db = await Database.open({
      max: 2,
      logger: pino({ level: 'silent' }),
      connectionConfig: async () => {
        reads.push(reads.length === 0 ? 'stale' : 'fresh');
        return reads.length === 1 ? stale : { connectionString: database.url };
      },
    });
    try {
      const result = await db.query<{ answer: number }>('SELECT 42 AS answer');
      expect(result.rows[0]?.answer).toBe(42);
      expect(reads).toEqual(['stale', 'fresh']);
      await db.transaction(async (client) => client.query('SELECT 1'));
      expect(reads).toHaveLength(2);
    } finally {
      await db.close();
    }
  });

  it('re-reads again while the secret still holds the rejected password (mid-rotation)', async () => {
    const port = (rejecting.address() as AddressInfo).port;
    const stale = { host: '127.0.0.1', port, user: 'order_service', password: 'old' };
    let reads = 0;
    const db = await Database.open({
      max: 2,
      logger: pino({ level: 'silent' }),
      rereadDelayMs: 5,
      connectionConfig: async () =>
        ++reads <= 3 ? stale : { connectionString: database.url, password: 'new' },
    });
    try {
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
      expect(reads).toBe(4);
    } finally {
      await db.close();
    }
  });

  it('reads the credentials once for many requests that fail together', async () => {
    let reads = 0;
    const db = await Database.open({
      max: 4,
      logger: pino({ level: 'silent' }),
      connectionConfig: async () =>
        ++reads === 1
          ? { host: '127.0.0.1', port: (rejecting.address() as AddressInfo).port }
          : { connectionString: database.url },
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 4 }, () => db.query('SELECT 1 AS one')),
      );
      expect(results.every((result) => result.rows[0]?.one === 1)).toBe(true);
      expect(reads).toBe(2);
    } finally {
      await db.close();
    }
  });
});

describe('a connection lost while a transaction holds it', () => {
  it.skipIf(!process.env.DATABASE_URL)(
    'fails that transaction only; the process lives on and the next transaction runs (real PostgreSQL: PGlite has one backend for all connections, none to terminate alone)',
    async () => {
      const db = await Database.open({
        max: 2,
        logger: pino({ level: 'silent' }),
        connectionConfig: async () => ({ connectionString: database.url }),
      });
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        const doomed = db.transaction(async (client) => {
          const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          // As in a failover: the server ends the session between two statements of the transaction.
          await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
          await sleep(200);
          return client.query('SELECT 1');
        });
        await expect(doomed).rejects.toThrow();

        const next = await db.transaction((client) =>
          client.query<{ two: number }>('SELECT 2 AS two'),
        );
        expect(next.rows[0]?.two).toBe(2);
      } finally {
        await admin.end();
        await db.close();
      }
    },
  );
});
