import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';

/**
 * First key of the two-key advisory locks that say "this process is alive" (the second key is the
 * process's own). Idempotency claims name the presence key of the process that made them, so a retry can
 * see at once that a claim's holder is gone: its lock is free (idempotency-store.ts).
 */
export const PRESENCE_LOCKS = 0x4f525052;

/**
 * Server-side TCP keepalive of the presence session: if the host of a process vanishes without closing its
 * connection (a network partition, a node lost), PostgreSQL ends the session — and frees the lock — after
 * about idle + interval × count = 25 seconds instead of the operating system's default of hours.
 */
const KEEPALIVE =
  'SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3';

const MAX_RECONNECT_DELAY_MS = 5_000;

export interface Presence {
  /** This process's presence key, as written on its idempotency claims. */
  readonly key: number;
}

/**
 * The process's presence lock, held on a connection of its own (outside the pool) for as long as the
 * process lives. When the process dies its connection closes and PostgreSQL frees the lock; when the
 * connection is lost (a failover) the process reconnects and takes its lock again.
 */
export class ProcessPresence implements Presence {
  #key = randomKey();
  #client: pg.Client | undefined;
  #stopped = false;
  readonly #connectionConfig: () => Promise<pg.ClientConfig>;
  readonly #logger: Logger;

  private constructor(connectionConfig: () => Promise<pg.ClientConfig>, logger: Logger) {
    this.#connectionConfig = connectionConfig;
    this.#logger = logger;
  }

  /** Takes the lock; fails like any start-up step when the database cannot be reached. */
  static async start(options: {
    connectionConfig: () => Promise<pg.ClientConfig>;
    logger: Logger;
  }): Promise<ProcessPresence> {
    const presence = new ProcessPresence(options.connectionConfig, options.logger);
    await presence.connect();
    return presence;
  }

  get key(): number {
    return this.#key;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ ...(await this.#connectionConfig()), keepAlive: true });
    // Listening from the start: an unheard `error` event on a held connection would end the process.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(KEEPALIVE);
      // Our own key again if it is free (claims made before a failover stay ours); else a fresh one.
      for (let key = this.#key; ; key = randomKey()) {
        const { rows } = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1, $2) AS locked',
          [PRESENCE_LOCKS, key],
        );
        if (rows[0]?.locked) {
          this.#key = key;
          break;
        }
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#stopped) await client.end().catch(() => undefined);
    else this.#client = client;
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    this.#logger.warn({ err: error }, 'presence connection lost; reconnecting');
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    for (let delay = 100; !this.#stopped; delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS)) {
      try {
        await this.connect();
        this.#logger.info({ presenceKey: this.#key }, 'presence connection restored');
        return;
      } catch (error) {
        this.#logger.warn({ err: error }, 'could not restore the presence connection; retrying');
        await sleep(delay);
      }
    }
  }
}

/** A positive int4 (the lock's second key; also stored in an integer column). */
function randomKey(): number {
  return randomInt(1, 2 ** 31 - 1);
}
