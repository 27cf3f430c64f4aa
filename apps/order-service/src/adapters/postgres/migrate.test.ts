import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@mallhive/testing';
import { createTestDatabase } from '../../testing/test-database.ts';
import { Database } from './database.ts';
import { migrate } from './migrate.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

const logger = pino({ level: 'silent' });
let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  const connectionConfig = async () => ({ connectionString: database.url });
  db = await Database.open({ connectionConfig, max: 2, logger });
});
afterAll(async () => {
  await db.close();
  await database.drop();
});

const appliedMigrations = async () =>
  (await db.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY run_on, id')).rows.map(
    (row) => row.name,
  );
const outboxColumns = async () =>
  (
    await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'outbox'`,
    )
  ).rows.map((row) => row.column_name);
/** The tables' columns and the indexes, enough to tell one migration's difference. */
const schemaOf = async () =>
  (
    await db.query<{ item: string }>(
      `SELECT table_name || '.' || column_name AS item FROM information_schema.columns
       WHERE table_schema = 'public'
       UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'
       ORDER BY 1`,
    )
  ).rows.map((row) => row.item);

/** Runs the service's migration step (with its pool, as start-up does) and returns what it logged. */
async function migrateAsStartUpDoes(): Promise<string[]> {
  const messages: string[] = [];
  await migrate(database.url, (message) => messages.push(message.trim()), db);
  return messages;
}

describe('migrations at start-up', () => {
  it('apply every migration to a new database, then find nothing to do on the next start', async () => {
    const first = await migrateAsStartUpDoes();
    expect(first).toContain('> Migrating files:');
    const applied = await appliedMigrations();
    expect(applied.length).toBeGreaterThan(1);
    expect(await outboxColumns()).toContain('traceparent');

    expect(await migrateAsStartUpDoes()).toEqual(['No migrations to run!']);
    expect(await appliedMigrations()).toEqual(applied);
  });

  it('apply a migration that is still pending when every other one is applied', async () => {
    const applied = await appliedMigrations();
    const last = applied.at(-1) ?? '';
    const schema = await schemaOf();
    // As if the database were one release behind: the newest migration rolled back by the runner itself.
    const { runner } = await import('node-pg-migrate');
    await runner({
      databaseUrl: database.url,
      dir: MIGRATIONS_DIR,
      direction: 'down',
      count: 1,
      migrationsTable: 'pgmigrations',
      log: () => undefined,
    });
    expect(await appliedMigrations()).toEqual(applied.slice(0, -1));
    expect(await schemaOf()).not.toEqual(schema);

    expect(await migrateAsStartUpDoes()).toContain(`> - ${last}`);
    expect(await schemaOf()).toEqual(schema);
    expect(await appliedMigrations()).toEqual(applied);
  });

  it('refuse, as the runner always did, migrations recorded in another order than their files', async () => {
    const [first, second] = await appliedMigrations();
    await db.query(
      `UPDATE pgmigrations SET run_on = CASE name WHEN $1 THEN now() + interval '1 day' ELSE run_on END`,
      [first],
    );
    await expect(migrateAsStartUpDoes()).rejects.toThrow(
      `Not run migration ${first} is preceding already run migration ${second}`,
    );
  });
});
