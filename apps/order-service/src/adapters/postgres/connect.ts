import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../../config/config.ts';
import type { DatabaseSecret } from '../aws/database-secret.ts';
import { Database } from './database.ts';
import { migrate } from './migrate.ts';
import type { Presence } from './presence.ts';
import { ProcessPresence } from './presence.ts';

export interface DatabaseConnection {
  readonly db: Database;
  /** Where the data lives, for the start-up banner (never contains a password). */
  readonly description: string;
  migrate(): Promise<void>;
  /** Takes this process's presence lock on a connection of its own, beside the pool (presence.ts). */
  startPresence(): Promise<Presence>;
  close(): Promise<void>;
}

/**
 * Opens the database the configuration names: a URL, an RDS secret (verified TLS, credentials re-read on
 * rotation) or, outside production, the embedded PGlite.
 */
export async function connectDatabase(
  config: Config,
  logger: Logger,
  readSecret?: (secretId: string) => Promise<DatabaseSecret>,
): Promise<DatabaseConnection> {
  const { database } = config;
  const log = (message: string) => logger.info({ component: 'migrations' }, message.trim());

  if (database.kind === 'secret') {
    if (!readSecret) throw new Error('DB_SECRET_ID is set but no secret reader was provided');
    const ca = await readFile(database.caFile, 'utf8');
    const connectionConfig = async (): Promise<pg.PoolConfig> => {
      const secret = await readSecret(database.secretId);
      return {
        host: secret.host,
        port: secret.port,
        database: secret.dbname,
        user: secret.username,
        password: secret.password,
        ssl: { ca, rejectUnauthorized: true },
      };
    };
    const db = await Database.open({ connectionConfig, max: database.poolMax, logger });
    return withPresence(connectionConfig, logger, {
      db,
      description: `secret ${database.secretId}`,
      migrate: async () => migrate(await connectionConfig(), log, db),
      close: () => db.close(),
    });
  }

  if (database.kind === 'url') {
    const connectionConfig = async () => ({ connectionString: database.url });
    const db = await Database.open({ connectionConfig, max: database.poolMax, logger });
    const url = new URL(database.url);
    return withPresence(connectionConfig, logger, {
      db,
      description: `${url.hostname}:${url.port || 5432}${url.pathname}`,
      migrate: () => migrate(database.url, log, db),
      close: () => db.close(),
    });
  }

  // Loaded only here: PGlite is a WebAssembly build of PostgreSQL that a server database never needs.
  const { startEmbeddedPostgres } = await import('./embedded-postgres.ts');
  // +2: the migration runner and the presence connection, beside the pool.
  const embedded = await startEmbeddedPostgres({
    dataDir: database.dataDir,
    maxConnections: database.poolMax + 2,
  });
  const connectionConfig = async () => ({ connectionString: embedded.url });
  const db = await Database.open({ connectionConfig, max: database.poolMax, logger });
  return withPresence(connectionConfig, logger, {
    db,
    description: `embedded PGlite in ${database.dataDir}`,
    migrate: () => migrate(embedded.url, log, db),
    async close() {
      await db.close();
      await embedded.stop();
    },
  });
}

/** Adds `startPresence` to a connection; closing the connection ends the presence first. */
function withPresence(
  connectionConfig: () => Promise<pg.ClientConfig>,
  logger: Logger,
  connection: Omit<DatabaseConnection, 'startPresence'>,
): DatabaseConnection {
  let presence: ProcessPresence | undefined;
  return {
    ...connection,
    async startPresence() {
      presence ??= await ProcessPresence.start({
        connectionConfig,
        logger: logger.child({ component: 'presence' }),
      });
      return presence;
    },
    async close() {
      await presence?.stop();
      await connection.close();
    },
  };
}
