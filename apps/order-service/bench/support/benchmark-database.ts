import pg from 'pg';
import { createDatabaseOn } from '@mallhive/testing';

export interface BenchmarkDatabase {
  readonly url: string;
  /** One line about the server, for the report (version, key durability settings). */
  readonly description: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the PostgreSQL server `adminUrl` names. Refuses the embedded PGlite: it runs
 * single-threaded in WebAssembly inside the Node process, so its figures would say nothing about production.
 */
export async function createBenchmarkDatabase(adminUrl: string): Promise<BenchmarkDatabase> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let server: ServerSettings | undefined;
  try {
    ({
      rows: [server],
    } = await admin.query<ServerSettings>(
      `SELECT version(), current_setting('synchronous_commit') AS synchronous_commit,
              current_setting('fsync') AS fsync, current_setting('shared_buffers') AS shared_buffers,
              current_setting('max_connections') AS max_connections`,
    ));
  } finally {
    await admin.end();
  }
  if (!server || /pglite|emscripten|wasm/i.test(server.version)) {
    throw new Error(
      `DATABASE_URL points at an embedded PGlite (${server?.version ?? 'unknown'}); ` +
        'benchmarks need a real PostgreSQL server',
    );
  }
  const description =
    `${server.version.split(' on ')[0] ?? server.version}, synchronous_commit=${server.synchronous_commit}, ` +
    `fsync=${server.fsync}, shared_buffers=${server.shared_buffers}, max_connections=${server.max_connections}`;
  return { ...(await createDatabaseOn(adminUrl, 'order_service_bench')), description };
}

interface ServerSettings {
  version: string;
  synchronous_commit: string;
  fsync: string;
  shared_buffers: string;
  max_connections: string;
}
