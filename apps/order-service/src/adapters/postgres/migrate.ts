import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

/**
 * Applies pending migrations. node-pg-migrate takes a PostgreSQL advisory lock, and `wait` makes replicas
 * that start together queue behind the first instead of failing.
 */
export async function migrate(
  connection: string | pg.ClientConfig,
  log: (message: string) => void = () => undefined,
): Promise<void> {
  await runner({
    databaseUrl: connection,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    advisoryLockMode: 'wait',
    checkOrder: true,
    log,
  });
}
