import type { Queryable, Transactional } from './database.ts';

/**
 * The advisory lock (one bigint key, apart from the two-key presence locks) each purge batch takes: one
 * replica deletes at a time, and a replica that finds it taken leaves the run to the one holding it.
 */
export const RETENTION_PURGE_LOCK = 0x4f52_5254;

/** The tables whose rows only exist to recognise a repeat, and expire. */
export type RetainedTable = 'idempotency_keys' | 'processed_messages';

/**
 * One batch: up to $2 rows older than $1, found through the age index (migration 1796083200000). SKIP
 * LOCKED leaves rows another transaction holds (a claim whose order is being stored this very moment) for
 * the next run instead of waiting on them, and holding only the batch's rows for one short statement
 * keeps the purge out of the way of the requests.
 *
 * Unfinished idempotency claims (completed = false) older than the retention go too, and that is safe:
 * - idempotency-store.ts already treats an unfinished claim older than 60 s as abandoned (any retry may
 *   take it over), and IDEMPOTENCY_RETENTION is at least 1 h; a take-over resets `created_at`, so a claim
 *   a retry has just taken is young again and stays;
 * - deleting the claim is what `settleClaim` does to release a key: the insert of the holder's order needs
 *   the claim to still name that order, so after the delete that order can never be stored, and a retry
 *   with the key claims it afresh and places one order, not a second one.
 */
const PURGE_BATCH: Readonly<Record<RetainedTable, string>> = {
  idempotency_keys: `
    DELETE FROM idempotency_keys WHERE key IN (
      SELECT key FROM idempotency_keys WHERE created_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  processed_messages: `
    DELETE FROM processed_messages WHERE message_id IN (
      SELECT message_id FROM processed_messages WHERE processed_at < $1 LIMIT $2
      FOR UPDATE SKIP LOCKED)`,
};

/** Deletes up to `limit` of `table`'s rows older than `cutoff` (one statement); how many went. */
export async function deleteExpiredRows(
  db: Queryable,
  table: RetainedTable,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const result = await db.query(PURGE_BATCH[table], [cutoff, limit]);
  return result.rowCount ?? 0;
}

/**
 * One batch under the purge lock, in a transaction of its own: how many rows went, or undefined when
 * another replica's batch holds the lock. The lock is transaction-scoped, so nothing stays held between
 * batches: no connection of the pool, no session state that a lost connection could leave behind.
 */
export async function purgeExpiredBatch(
  db: Transactional,
  table: RetainedTable,
  cutoff: Date,
  limit: number,
): Promise<number | undefined> {
  return db.transaction(async (transaction) => {
    const { rows } = await transaction.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_xact_lock($1) AS locked',
      [RETENTION_PURGE_LOCK],
    );
    if (rows[0]?.locked !== true) return undefined;
    return deleteExpiredRows(transaction, table, cutoff, limit);
  });
}
