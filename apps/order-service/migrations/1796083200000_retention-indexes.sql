-- Up Migration

-- The retention purge (retention/retention-purger.ts) deletes rows older than a cutoff in small batches;
-- these indexes let each batch find its rows without scanning the table. A migration runs in a
-- transaction, so it cannot build them CONCURRENTLY: on a large table, build them by hand first with
-- CREATE INDEX CONCURRENTLY and the same names (docs/operations.md, "Retention"); IF NOT EXISTS then
-- skips them here.
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
CREATE INDEX IF NOT EXISTS processed_messages_processed_at ON processed_messages (processed_at);

-- Down Migration

DROP INDEX IF EXISTS processed_messages_processed_at;
DROP INDEX IF EXISTS idempotency_keys_created_at;
