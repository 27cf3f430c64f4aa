import type { Queryable } from './database.ts';

/**
 * Marks a consumed message as applied; false when it already was. Called in the transaction that applies
 * the message, so the mark and the effect commit (or roll back) together: exactly-once effects.
 */
export async function markMessageProcessed(db: Queryable, messageId: string): Promise<boolean> {
  const fresh = await db.query(
    `INSERT INTO processed_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING message_id`,
    [messageId],
  );
  return fresh.rowCount === 1;
}
