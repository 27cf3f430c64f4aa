import { setTimeout as sleep } from 'node:timers/promises';
import { context } from '@opentelemetry/api';
import pg from 'pg';
import { stringify } from 'safe-stable-stringify';
import type { Logger } from 'pino';
import { outsideUnrecordedTrace } from '../../observability/unrecorded-work.ts';

// Money columns are bigint minor units; every amount we store is a safe integer.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text));

/** A pool or a connection inside a transaction: repositories take either. */
export interface Queryable {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    statement: string | Statement,
    params?: unknown[],
  ): Promise<pg.QueryResult<Row>>;
}

/** What the use cases need from the database: statements, and a transaction where several must commit together. */
export interface Transactional extends Queryable {
  transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T>;
}

/**
 * A statement PostgreSQL parses and plans once per connection, then reuses by name: worth it for the
 * hot, large statements (placing an order, claiming a key, reading an order).
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

export interface PoolStats {
  readonly inUse: number;
  readonly idle: number;
  readonly waiting: number;
  readonly max: number;
}

export interface DatabaseOptions {
  /** Where to connect; called again when the server rejects the password (credentials rotated). */
  readonly connectionConfig: () => Promise<pg.PoolConfig>;
  readonly max: number;
  readonly logger: Logger;
  /** Base delay between re-reads that still return the rejected password. */
  readonly rereadDelayMs?: number;
}

/** SQLSTATE 28P01: the password was rejected — after a rotation, the credentials we hold are stale. */
const INVALID_PASSWORD = '28P01';

/**
 * The connection pool, and the one place that knows how to survive a credential rotation: when the server
 * rejects our password, it asks `connectionConfig` again (which re-reads the secret) and swaps the pool.
 */
export class Database implements Transactional {
  private pool: pg.Pool;
  private refreshing: Promise<void> | undefined;
  private config: pg.PoolConfig;
  private namedStatements = false;
  private readonly rereadDelayMs: number;
  private readonly connectionConfig: () => Promise<pg.PoolConfig>;
  private readonly max: number;
  private readonly logger: Logger;

  private constructor(options: DatabaseOptions & { config: pg.PoolConfig }) {
    this.config = options.config;
    this.rereadDelayMs = options.rereadDelayMs ?? 1_000;
    this.connectionConfig = options.connectionConfig;
    this.max = options.max;
    this.logger = options.logger;
    this.pool = this.createPool(options.config);
  }

  static async open(options: DatabaseOptions): Promise<Database> {
    const database = new Database({ ...options, config: await options.connectionConfig() });
    // PGlite is ONE session behind all its connections: a statement named on one connection already
    // exists on the next, where `pg` would prepare it again and fail. Embedded mode runs them unnamed.
    const { rows } = await database.query<{ version: string }>('SELECT version()');
    database.namedStatements = !/emscripten|wasm|pglite/i.test(rows[0]?.version ?? '');
    return database;
  }

  async query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    statement: string | Statement,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<Row>> {
    return this.withRotation((pool) =>
      outsideUnrecordedTrace(() => pool.query<Row>(this.queryConfig(statement, params))),
    );
  }

  /**
   * Runs `work` in one transaction on one connection; rolls back on any error. A connection lost while
   * held (a failover, pg_terminate_backend) fails this transaction only: the pool listens for idle
   * clients' errors, not for those checked out, and an unheard `error` event would end the process.
   */
  async transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.withRotation((pool) => outsideUnrecordedTrace(() => pool.connect()));
    const run = (text: string) => outsideUnrecordedTrace(() => client.query(text));
    let lost: Error | undefined;
    const onLost = (error: Error) => {
      lost ??= error;
      this.logger.warn({ err: error }, 'database connection lost during a transaction');
    };
    client.on('error', onLost);
    try {
      await run('BEGIN');
      const result = await work(this.queryable(client));
      await run('COMMIT');
      return result;
    } catch (error) {
      if (!lost) await run('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onLost);
      // A broken connection is destroyed instead of going back to the pool.
      client.release(lost);
    }
  }

  private queryConfig(statement: string | Statement, values: unknown[] = []): pg.QueryConfig {
    if (typeof statement === 'string') return { text: statement, values };
    return this.namedStatements ? { ...statement, values } : { text: statement.text, values };
  }

  private queryable(client: pg.PoolClient): Queryable {
    return {
      query: <Row extends pg.QueryResultRow>(statement: string | Statement, params?: unknown[]) =>
        outsideUnrecordedTrace(() => client.query<Row>(this.queryConfig(statement, params))),
    };
  }

  stats(): PoolStats {
    return {
      inUse: this.pool.totalCount - this.pool.idleCount,
      idle: this.pool.idleCount,
      waiting: this.pool.waitingCount,
      max: this.max,
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private createPool(config: pg.PoolConfig): pg.Pool {
    const pool = new pg.Pool({ ...config, max: this.max, connectionTimeoutMillis: 5_000 });
    // A caller that waits for a connection is called back from the `release()` of whoever gives one back,
    // so in the releaser's async context: `pool.query` would run the waiting query — and trace it — as
    // part of another request. dd-trace-js#3733 reports the symptom (traces with too many query spans,
    // others with none), their #8825 binds the waiter as we do here; the pg instrumentation binds it only
    // while it creates pool-connect spans, which we skip. OpenTelemetry's binding is a no-op while tracing
    // is off and costs 0.7 µs per query while on (AsyncLocalStorage.bind: 2.9 µs, always).
    const connect = pool.connect.bind(pool);
    pool.connect = ((callback?: Parameters<typeof pool.connect>[0]) =>
      callback
        ? connect(context.bind(context.active(), callback))
        : connect()) as typeof pool.connect;
    // An idle client that loses its connection must not crash the process; the pool replaces it.
    pool.on('error', (error: Error & { client?: unknown }) => {
      // pg-pool hangs the client on the error: logged, it would dump the connection and its statements.
      delete error.client;
      this.logger.warn({ err: error }, 'idle database connection failed');
    });
    return pool;
  }

  private async withRotation<T>(operation: (pool: pg.Pool) => Promise<T>): Promise<T> {
    const pool = this.pool;
    try {
      return await operation(pool);
    } catch (error) {
      if ((error as { code?: string }).code !== INVALID_PASSWORD) throw error;
      // Only the first failure on a pool re-reads the secret; the others retry on its replacement.
      if (this.pool === pool) await this.refreshCredentials();
      else await this.refreshing;
      return operation(this.pool);
    }
  }

  private refreshCredentials(): Promise<void> {
    this.refreshing ??= (async () => {
      this.logger.warn(
        'database rejected our password; re-reading credentials and replacing the pool',
      );
      // Between the password change and the move of AWSCURRENT, the secret still holds the old password.
      let config = await this.connectionConfig();
      for (let attempt = 1; attempt < 5 && sameConnection(config, this.config); attempt++) {
        await sleep(this.rereadDelayMs * attempt);
        config = await this.connectionConfig();
      }
      const stale = this.pool;
      this.config = config;
      this.pool = this.createPool(config);
      void stale.end().catch(() => undefined);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }
}

const sameConnection = (a: pg.PoolConfig, b: pg.PoolConfig) => stringify(a) === stringify(b);
