import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Order } from '../../src/domain/order.ts';
import type { RunFigures } from './stats.ts';
import { percentile } from './stats.ts';

const run = promisify(execFile);
const PGBENCH = process.env.PGBENCH || 'pgbench';

/** What one order stores beyond its row: the idempotency record's response and one outbox entry. */
export interface CeilingOrder {
  readonly order: Order;
  /** The stored response (status, headers, body) as the service keeps it for replays. */
  readonly response: unknown;
  /** One outbox entry of the order, as the service writes it (an `OutboxEntry`). */
  readonly outboxEntry: unknown;
}

/**
 * A string constant for the script. pgbench replaces `:name` with a variable even inside quotes, so every
 * colon is written as the escape \x3a of an E'' string (resolved once, when the statement is prepared).
 */
const literal = (value: unknown) =>
  `E'${(typeof value === 'string' ? value : JSON.stringify(value))
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "''")
    .replaceAll(':', '\\x3a')}'`;

/**
 * The physical ceiling of order creation (issue 14, goal 1): the least a database must do to durably
 * accept an order — its row, its item rows, the idempotency record with the stored response, and one
 * outbox row — as ONE statement in its own transaction (one round trip, one commit), the shape of the
 * service's own insert. No history row, no further outbox rows: that is the service's choice, not a need.
 * The payloads are those of the service's own order, so the rows are as wide as the service's.
 */
export function ceilingScript({ order, response, outboxEntry }: CeilingOrder): string {
  const items = order.items
    .map(
      (item, position) =>
        `(${position}, ${literal(item.productId)}, ${item.quantity}, ${item.unitPrice}, ${item.lineTotal})`,
    )
    .join(', ');
  // A fresh order id per transaction (gen_random_uuid), and an idempotency key made unique by it and
  // pgbench's client id, so no transaction ever conflicts with another, as with real keys.
  return `WITH placed AS (
  INSERT INTO orders (id, user_id, status, currency, subtotal, total, customer_email, shipping_address,
                      version, created_at, updated_at)
  VALUES (gen_random_uuid(), ${literal(order.userId)}, ${literal(order.status)}, ${literal(order.currency)},
          ${order.subtotal}, ${order.total}, ${literal(order.customerEmail)}, ${literal(order.shippingAddress)}::jsonb,
          ${order.version}, now(), now())
  RETURNING id
), items AS (
  INSERT INTO order_items (order_id, position, product_id, quantity, unit_price, line_total)
  SELECT placed.id, i.position, i.product_id, i.quantity, i.unit_price, i.line_total
  FROM placed, (VALUES ${items}) AS i(position, product_id, quantity, unit_price, line_total)
), claim AS (
  INSERT INTO idempotency_keys (key, request_hash, order_id, completed, response)
  SELECT 'pgbench-' || :client_id || '-' || placed.id, ${literal('f'.repeat(64))}, placed.id, true,
         ${literal(response)}::jsonb
  FROM placed
), outbox AS (
  INSERT INTO outbox (id, order_id, kind, payload)
  SELECT entry.id, placed.id, 'event.publish',
         ${literal(outboxEntry)}::jsonb || jsonb_build_object('id', entry.id, 'orderId', placed.id)
  FROM placed, (SELECT gen_random_uuid() AS id) AS entry
)
SELECT id FROM placed;
`;
}

/** A number pgbench printed after `label` (e.g. "tps = 1234.5"), or NaN. */
function printed(output: string, label: RegExp): number {
  const match = label.exec(output);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}

/**
 * Latencies in ms from pgbench's per-transaction logs (`--log`): one line per transaction,
 * `client_id transaction_no time_us script_no time_epoch time_us_part …` (the PostgreSQL 15 pgbench docs,
 * "Per-Transaction Logging"); a failed transaction has `failed` (or `skipped`) instead of a time.
 */
export function latenciesFromLog(log: string): number[] {
  const latencies: number[] = [];
  for (const line of log.split('\n')) {
    const time = Number(line.split(' ')[2]);
    if (Number.isFinite(time) && line.trim() !== '') latencies.push(time / 1000);
  }
  return latencies;
}

/**
 * The figures of one pgbench run: throughput and failures as its summary (stdout) reports them, latency
 * percentiles from its per-transaction log lines (the summary has only the average).
 */
export function pgbenchFigures(summary: string, log: string): RunFigures {
  const latencies = latenciesFromLog(log);
  return {
    throughput: printed(summary, /^tps = ([\d.]+)/m),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: printed(summary, /^number of failed transactions: (\d+)/m) || 0,
    operations: printed(summary, /^number of transactions actually processed: (\d+)/m),
  };
}

/**
 * Drives the ceiling transaction with pgbench (on PATH, or the path in PGBENCH): `connections` clients on
 * `threads` threads, prepared statements (parsed and planned once per connection, as the service's named
 * statements are), no vacuum of pgbench's own tables (it has none here).
 */
export async function createPgbenchCeiling(options: {
  databaseUrl: string;
  connections: number;
  threads: number;
  order: CeilingOrder;
}) {
  const dir = await mkdtemp(join(tmpdir(), 'order-ceiling-'));
  const script = join(dir, 'order-ceiling.sql');
  await writeFile(script, ceilingScript(options.order));
  let runs = 0;
  return {
    async run(durationSeconds: number): Promise<RunFigures> {
      const prefix = `run-${++runs}`;
      const { stdout } = await run(
        PGBENCH,
        [
          '--no-vacuum',
          '--protocol=prepared',
          `--client=${options.connections}`,
          `--jobs=${options.threads}`,
          `--time=${durationSeconds}`,
          `--file=${script}`,
          '--log',
          `--log-prefix=${join(dir, prefix)}`,
          options.databaseUrl,
        ],
        { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
      ).catch((error: { stderr?: string; message: string }) => {
        // Every client repeats the same error: its first lines say it all.
        const said = (error.stderr ?? error.message).split('\n').slice(0, 6).join('\n');
        throw new Error(`pgbench failed:\n${said}`);
      });
      // One log file per thread: <prefix>.<pid> and <prefix>.<pid>.<thread>.
      const files = (await readdir(dir)).filter((file) => file.startsWith(`${prefix}.`));
      const logs = await Promise.all(files.map((file) => readFile(join(dir, file), 'utf8')));
      await Promise.all(files.map((file) => rm(join(dir, file))));
      return pgbenchFigures(stdout, logs.join('\n'));
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

export type PgbenchCeiling = Awaited<ReturnType<typeof createPgbenchCeiling>>;
