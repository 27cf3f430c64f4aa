import type { TraceContextCarrier } from '../../observability/trace-context.ts';
import type { OutboxEntry } from '../../outbox/outbox-entry.ts';
import type { Queryable } from './database.ts';

export interface ClaimedEntry<Entry extends OutboxEntry = OutboxEntry> {
  readonly entry: Entry;
  /** How many times it has been claimed, this time included. */
  readonly attempts: number;
  /** The trace context of the work that wrote the entry (empty when it was not traced). */
  readonly traceContext: TraceContextCarrier;
}

/**
 * Claims up to `limit` due entries for `leaseMs`: other replicas skip them (SKIP LOCKED now, the lease
 * after commit). A crashed dispatcher's lease simply runs out and the entry is claimed again.
 * An event is never claimed while an earlier event of the same order is still unpublished, which keeps
 * each order's events in order of creation.
 */
export async function claimDueEntries(
  db: Queryable,
  limit: number,
  leaseMs: number,
): Promise<ClaimedEntry[]> {
  const result = await db.query<{
    payload: OutboxEntry;
    attempts: number;
    seq: number;
    traceparent: string | null;
    tracestate: string | null;
  }>(
    `WITH due AS (
       SELECT o.id FROM outbox o
       WHERE o.dead_at IS NULL AND o.available_at <= now()
         AND (o.kind <> 'event.publish' OR NOT EXISTS (
               SELECT 1 FROM outbox earlier
               WHERE earlier.order_id = o.order_id AND earlier.kind = 'event.publish'
                 AND earlier.dead_at IS NULL AND earlier.seq < o.seq))
       ORDER BY o.seq
       LIMIT $1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE outbox SET attempts = attempts + 1, available_at = now() + make_interval(secs => $2 / 1000.0)
     FROM due WHERE outbox.id = due.id
     RETURNING outbox.payload, outbox.attempts, outbox.seq, outbox.traceparent, outbox.tracestate`,
    [limit, leaseMs],
  );
  // RETURNING does not keep the ORDER BY of the claim; creation order matters to the publisher.
  return result.rows
    .sort((a, b) => a.seq - b.seq)
    .map((row) => ({
      entry: row.payload,
      attempts: row.attempts,
      traceContext: { traceparent: row.traceparent, tracestate: row.tracestate },
    }));
}

export async function completeEntries(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await db.query(`DELETE FROM outbox WHERE id = ANY($1::uuid[])`, [ids]);
}

/** Schedules another attempt, or marks the entry dead (kept and counted, never dropped) when `dead`. */
export async function failEntries(
  db: Queryable,
  failures: readonly { id: string; error: string; retryInMs: number; dead: boolean }[],
): Promise<void> {
  if (failures.length === 0) return;
  await db.query(
    `UPDATE outbox SET last_error = f.error,
            available_at = now() + make_interval(secs => f.retry_in_ms / 1000.0),
            dead_at = CASE WHEN f.dead THEN now() END
     FROM jsonb_to_recordset($1::jsonb) AS f(id uuid, error text, retry_in_ms bigint, dead boolean)
     WHERE outbox.id = f.id`,
    [
      JSON.stringify(
        failures.map((failure) => ({
          id: failure.id,
          error: failure.error.slice(0, 2000),
          retry_in_ms: failure.retryInMs,
          dead: failure.dead,
        })),
      ),
    ],
  );
}

export interface OutboxHealth {
  readonly backlog: number;
  readonly oldestAgeSeconds: number;
  readonly dead: number;
}

export async function outboxHealth(db: Queryable): Promise<OutboxHealth> {
  const result = await db.query<{
    backlog: number;
    oldest_age_seconds: number | null;
    dead: number;
  }>(
    `SELECT count(*) FILTER (WHERE dead_at IS NULL)::int AS backlog,
            extract(epoch FROM now() - min(created_at) FILTER (WHERE dead_at IS NULL))::float8 AS oldest_age_seconds,
            count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead
     FROM outbox`,
  );
  const row = result.rows[0];
  return {
    backlog: row?.backlog ?? 0,
    oldestAgeSeconds: row?.oldest_age_seconds ?? 0,
    dead: row?.dead ?? 0,
  };
}
