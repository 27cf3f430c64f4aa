import type { Queryable, Statement } from './database.ts';

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

/**
 * A claim older than this belongs to a request that died mid-way (a crash before it could release the key):
 * a retry may take it over instead of being refused forever.
 */
const ABANDONED_AFTER_SECONDS = 60;

const CLAIM: Statement = {
  name: 'claim-idempotency-key',
  text: `INSERT INTO idempotency_keys (key, request_hash) VALUES ($1, $2)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
};

/** Claims `key` for a request whose body hashes to `requestHash`, or says why it cannot. */
export async function claimIdempotencyKey(
  db: Queryable,
  key: string,
  requestHash: string,
): Promise<Claim> {
  const inserted = await db.query(CLAIM, [key, requestHash]);
  if (inserted.rowCount === 1) return { outcome: 'claimed' };

  const existing = await db.query<{
    request_hash: string;
    completed: boolean;
    response: StoredResponse | null;
  }>(`SELECT request_hash, completed, response FROM idempotency_keys WHERE key = $1`, [key]);
  const row = existing.rows[0];
  // Released between our insert and select: the client may simply retry.
  if (!row) return { outcome: 'in_progress' };
  if (row.request_hash !== requestHash) return { outcome: 'reused' };
  if (row.completed && row.response) return { outcome: 'replay', response: row.response };

  const takenOver = await db.query(
    `UPDATE idempotency_keys SET created_at = now()
     WHERE key = $1 AND NOT completed AND created_at < now() - make_interval(secs => $2)
     RETURNING key`,
    [key, ABANDONED_AFTER_SECONDS],
  );
  return takenOver.rowCount === 1 ? { outcome: 'claimed' } : { outcome: 'in_progress' };
}

/** Frees a claim whose request failed, so the client may retry with the same key. */
export async function releaseIdempotencyKey(db: Queryable, key: string): Promise<void> {
  await db.query(`DELETE FROM idempotency_keys WHERE key = $1 AND NOT completed`, [key]);
}
