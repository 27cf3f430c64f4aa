import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createDatabaseOn } from './test-database.ts';

const adminUrl = process.env.DATABASE_URL;

describe.skipIf(!adminUrl)('a test database on the PostgreSQL of DATABASE_URL', () => {
  it('is new and empty, and gone after drop() even with a connection still open', async () => {
    const database = await createDatabaseOn(adminUrl ?? '', 'testing_lib');
    const client = new pg.Client({ connectionString: database.url });
    client.on('error', () => undefined); // the drop ends this connection
    await client.connect();
    const tables = await client.query(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    );
    expect(tables.rows[0]).toEqual({ n: 0 });

    await database.drop();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const name = new URL(database.url).pathname.slice(1);
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(found.rowCount).toBe(0);
    } finally {
      await admin.end();
      await client.end().catch(() => undefined);
    }
  });
});
