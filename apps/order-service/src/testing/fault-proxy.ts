import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that breaks the network at the worst moment, for the fault tests:
 * right before a given statement reaches the server, right after it ran (its answer lost), every
 * connection at once (a failover), or no connection at all (the database unreachable).
 *
 * Written with node:net because the usual tool does not fit: Toxiproxy is a Go server (run as a binary or
 * container, neither available here) driven by an HTTP API, and its toxics cut after a time or a byte
 * count (`timeout`, `limit_data`, `reset_peer`), never "after the statement that says X". Matching a
 * statement is a look at the bytes: a few lines. The pg driver sends one statement at a time per
 * connection and waits for its answer, so the first bytes the server sends after a statement are that
 * statement's answer — sent once it has committed.
 */
export interface FaultProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  readonly url: string;
  /**
   * Arms one fault for the next statement whose bytes match `statement` (by name or text; no `g` flag):
   * - `lose: 'request'` — the statement never reaches the server; the connection is cut;
   * - `lose: 'reply'` — the statement runs (and commits); its answer is dropped and the connection cut.
   * Resolves once the fault has struck.
   */
  cutAt(statement: RegExp, lose: 'request' | 'reply'): Promise<void>;
  /** Cuts every open connection, as a failover does. */
  cutAll(): void;
  /** Until `heal()`, every new connection is cut at once: the database is unreachable. */
  refuse(): void;
  heal(): void;
  close(): Promise<void>;
}

/** A pattern may straddle two TCP chunks: keep this much of the previous ones. */
const CARRY_OVER = 512;

export async function startFaultProxy(databaseUrl: string): Promise<FaultProxy> {
  const target = new URL(databaseUrl);
  const cuts = new Set<() => void>();
  let refusing = false;
  let armed: { statement: RegExp; lose: 'request' | 'reply'; struck: () => void } | undefined;

  const server = createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(target.port || 5432), target.hostname);
    const cut = () => {
      cuts.delete(cut);
      client.destroy();
      upstream.destroy();
    };
    cuts.add(cut);
    for (const socket of [client, upstream] as Socket[]) {
      socket.on('error', cut);
      socket.on('close', cut);
    }

    let recent = '';
    let loseNextReply: (() => void) | undefined;
    client.on('data', (chunk: Buffer) => {
      const seen = recent + chunk.toString('latin1');
      recent = seen.slice(-CARRY_OVER);
      const fault = armed;
      if (fault && fault.statement.test(seen)) {
        armed = undefined;
        if (fault.lose === 'request') {
          cut();
          fault.struck();
          return;
        }
        loseNextReply = fault.struck;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (loseNextReply) {
        cut();
        loseNextReply();
        return;
      }
      client.write(chunk);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);

  return {
    url: url.toString(),
    cutAt(statement, lose) {
      return new Promise((struck) => {
        armed = { statement, lose, struck };
      });
    },
    cutAll() {
      for (const cut of [...cuts]) cut();
    },
    refuse() {
      refusing = true;
    },
    heal() {
      refusing = false;
    },
    async close() {
      armed = undefined;
      for (const cut of [...cuts]) cut();
      server.close();
      await once(server, 'close');
    },
  };
}
