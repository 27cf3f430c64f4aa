-- Up Migration

-- Who holds an unfinished claim: the order being placed under it (the insert of that order succeeds only
-- while the claim is still its own) and the presence lock of the process placing it (when that lock is
-- free, the process is gone and a retry may take the claim over at once). NULL for claims made before.
ALTER TABLE idempotency_keys
  ADD COLUMN order_id   uuid,
  ADD COLUMN claimed_by integer;

-- Down Migration

ALTER TABLE idempotency_keys DROP COLUMN claimed_by, DROP COLUMN order_id;
