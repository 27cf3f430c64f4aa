import { createDatabaseOn, type TestDatabase } from '@mallhive/testing';
import { startEmbeddedPostgres } from '../adapters/postgres/embedded-postgres.ts';

/**
 * A fresh, empty database for one test file: a new database on the PostgreSQL that DATABASE_URL names
 * (CI: real PostgreSQL 15), or an in-memory PGlite when DATABASE_URL is unset.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({ maxConnections: 40 });
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  return createDatabaseOn(adminUrl, 'order_service_test');
}
