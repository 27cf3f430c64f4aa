import { readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Queryable } from './database.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));
const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * Applies pending migrations. node-pg-migrate takes a PostgreSQL advisory lock, and `wait` makes replicas
 * that start together queue behind the first instead of failing.
 *
 * Given `applied` (the service's pool), it first asks whether every migration is already applied — true on
 * every start but the first after a release — and then stops there: the runner (a module, a connection
 * of its own, the lock, its catalogue queries and every file parsed) would find nothing to do.
 */
export async function migrate(
  connection: string | pg.ClientConfig,
  log: (message: string) => void = () => undefined,
  applied?: Queryable,
): Promise<void> {
  if (applied && (await everyMigrationApplied(applied))) {
    log('No migrations to run!');
    return;
  }
  const { runner } = await import('node-pg-migrate');
  // Our own connection, not one the runner opens: the runner ends its own without waiting for the end, so
  // a database dropped or failed over right after could hit that half-closed connection, whose error
  // nobody listens to, and end the process. This one is closed before migrate() returns.
  const client = new pg.Client(
    typeof connection === 'string' ? { connectionString: connection } : connection,
  );
  client.on('error', () => undefined); // a lost connection fails the runner's next query instead
  await client.connect();
  try {
    await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      advisoryLockMode: 'wait',
      checkOrder: true,
      log,
    });
  } finally {
    await client.end();
  }
}

/**
 * True when the migrations table lists exactly the files of migrations/, in file order: the one state in
 * which the runner applies nothing and its order check passes. Anything else (no table yet, a pending, an
 * unknown or a reordered migration, a query that fails) is the runner's to judge, as it always was. Rows
 * a concurrent migrator has not committed are invisible here, so its migration counts as pending and the
 * runner waits for its lock.
 */
async function everyMigrationApplied(db: Queryable): Promise<boolean> {
  // node-pg-migrate's rules: every file but dotfiles, named by its base name, in (timestamp) name order.
  const files = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && !entry.name.startsWith('.'))
    .map((entry) => entry.name.slice(0, entry.name.length - extname(entry.name).length))
    .sort();
  try {
    // The runner's own query (its default schema is public), in the order its check compares.
    const { rows } = await db.query<{ name: string }>(
      `SELECT name FROM public.${MIGRATIONS_TABLE} ORDER BY run_on, id`,
    );
    return rows.length === files.length && rows.every(({ name }, i) => name === files[i]);
  } catch {
    return false;
  }
}
