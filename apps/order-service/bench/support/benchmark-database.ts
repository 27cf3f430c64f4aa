import { randomBytes } from 'node:crypto';
import pg from 'pg';

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
  const name = `order_service_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  let description: string;
  try {
    const { rows } = await admin.query<{
      version: string;
      synchronous_commit: string;
      fsync: string;
      shared_buffers: string;
      max_connections: string;
    }>(`SELECT version(), current_setting('synchronous_commit') AS synchronous_commit,
               current_setting('fsync') AS fsync, current_setting('shared_buffers') AS shared_buffers,
               current_setting('max_connections') AS max_connections`);
    const server = rows[0];
    if (!server || /pglite|emscripten|wasm/i.test(server.version)) {
      throw new Error(
        `DATABASE_URL points at an embedded PGlite (${server?.version ?? 'unknown'}); ` +
          'benchmarks need a real PostgreSQL server',
      );
    }
    description =
      `${server.version.split(' on ')[0] ?? server.version}, synchronous_commit=${server.synchronous_commit}, ` +
      `fsync=${server.fsync}, shared_buffers=${server.shared_buffers}, max_connections=${server.max_connections}`;
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    description,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
