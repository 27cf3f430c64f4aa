import pg from 'pg';
import type { Logger } from 'pino';
import type { Queryable } from './database.ts';

/** One connection of its own, beside the pool, for work that holds a session-level advisory lock. */
export interface DatabaseSession extends Queryable {
  close(): Promise<void>;
}

/**
 * Opens a session outside the pool: a lock held on it never takes a connection from the requests, and
 * closing it (or losing it) frees the lock. Statements run unnamed; the session is short-lived.
 */
export async function openSession(
  connectionConfig: () => Promise<pg.ClientConfig>,
  logger: Logger,
): Promise<DatabaseSession> {
  const client = new pg.Client(await connectionConfig());
  // An unheard `error` event on a lost connection would end the process; the statement in flight fails.
  client.on('error', (error) => logger.warn({ err: error }, 'database session lost'));
  await client.connect();
  return {
    query: (statement, params) =>
      client.query(typeof statement === 'string' ? statement : statement.text, params),
    close: () => client.end().catch(() => undefined),
  };
}
