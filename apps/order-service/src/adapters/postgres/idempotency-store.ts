import type { Queryable, Statement } from './database.ts';
import { PRESENCE_LOCKS } from './presence.ts';

/** The stored first response to a request, replayed verbatim for a retry with the same key. */
export interface StoredResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The body exactly as first sent (a string, so replays are byte-identical). */
  readonly body: string;
}

export type Claim =
  | { readonly outcome: 'claimed' }
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  | { readonly outcome: 'reused' }
  | { readonly outcome: 'in_progress' };

/** Who holds a claim: the order being placed under it, by the process with this presence key. */
export interface ClaimHolder {
  readonly orderId: string;
  readonly presenceKey: number;
}

/**
 * The last resort for a claim whose holder cannot be seen to be gone (the database has no presence lock to
 * look at, e.g. PGlite, whose single session holds every lock): after this long a retry may take it over.
 */
const ABANDONED_AFTER_SECONDS = 60;

/** A claim changes hands under a retry only between the claim and the insert; a few rounds settle it. */
const CLAIM_ROUNDS = 3;

const CLAIM: Statement = {
  name: 'claim-idempotency-key',
  text: `INSERT INTO idempotency_keys (key, request_hash, order_id, claimed_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
};

/**
 * Takes over an unfinished claim whose holder is gone: its process's presence lock is free (the process
 * died, or lost its session), or it is older than the last-resort limit. The insert of the old holder's
 * order needs the claim to still name that order, so it can no longer succeed once the claim moved.
 */
const TAKE_OVER = `
  UPDATE idempotency_keys k SET order_id = $2, claimed_by = $3, created_at = now()
  WHERE k.key = $1 AND NOT k.completed AND (
    k.created_at < now() - make_interval(secs => $4)
    OR (k.claimed_by IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM pg_locks l
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
        AND l.classid = ${PRESENCE_LOCKS} AND l.objid = k.claimed_by::oid
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))))
  RETURNING key`;

/** Claims `key` for a request whose body hashes to `requestHash`, or says why it cannot. */
export async function claimIdempotencyKey(
  db: Queryable,
  key: string,
  requestHash: string,
  holder: ClaimHolder,
): Promise<Claim> {
  for (let round = 1; ; round++) {
    const inserted = await db.query(CLAIM, [key, requestHash, holder.orderId, holder.presenceKey]);
    if (inserted.rowCount === 1) return { outcome: 'claimed' };

    const existing = await db.query<{
      request_hash: string;
      completed: boolean;
      response: StoredResponse | null;
    }>(`SELECT request_hash, completed, response FROM idempotency_keys WHERE key = $1`, [key]);
    const row = existing.rows[0];
    // Released between our insert and select (its request failed): claim it afresh.
    if (!row) {
      if (round < CLAIM_ROUNDS) continue;
      return { outcome: 'in_progress' };
    }
    if (row.request_hash !== requestHash) return { outcome: 'reused' };
    if (row.completed && row.response) return { outcome: 'replay', response: row.response };

    const takenOver = await db.query(TAKE_OVER, [
      key,
      holder.orderId,
      holder.presenceKey,
      ABANDONED_AFTER_SECONDS,
    ]);
    return takenOver.rowCount === 1 ? { outcome: 'claimed' } : { outcome: 'in_progress' };
  }
}

/**
 * What became of an order whose insert failed or whose answer was lost. A stored order's response is
 * known while its idempotency record is kept (IDEMPOTENCY_RETENTION); a settlement retried later than
 * that learns only that the order exists.
 */
export type PlacementOutcome =
  | { readonly stored: true; readonly response: StoredResponse | undefined }
  | { readonly stored: false };

/**
 * Decides for good whether order `orderId`, placed under `key`, was stored, and frees the key if it was
 * not. Deleting the unfinished claim makes the insert impossible from then on (it needs the claim), so
 * "not stored" stays true; a completed claim means the insert committed and only its answer was lost. If
 * the insert is still running on a connection we lost, the delete waits for its row lock and then sees it.
 * With no claim left at all, the order's own row decides: the retention purge deletes completed records
 * too, and a settlement retried in the background after that must not take a stored order for a lost one.
 */
export async function settleClaim(
  db: Queryable,
  key: string,
  orderId: string,
): Promise<PlacementOutcome> {
  const released = await db.query(
    `DELETE FROM idempotency_keys WHERE key = $1 AND order_id = $2 AND NOT completed RETURNING key`,
    [key, orderId],
  );
  if (released.rowCount === 1) return { stored: false };
  const { rows } = await db.query<{ response: StoredResponse | null; exists: boolean }>(
    `SELECT (SELECT response FROM idempotency_keys WHERE key = $1 AND order_id = $2 AND completed),
            EXISTS (SELECT 1 FROM orders WHERE id = $2) AS exists`,
    [key, orderId],
  );
  const row = rows[0];
  // Not stored: a retry took the claim over, and our order can no longer be stored.
  return row?.exists ? { stored: true, response: row.response ?? undefined } : { stored: false };
}
