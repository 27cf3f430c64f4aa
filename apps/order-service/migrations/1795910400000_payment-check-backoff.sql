-- Up Migration

-- The payment sweeper's bookkeeping per overdue order: how often the payment service was asked, and when
-- to ask again. Claiming an order pushes `payment_check_at` forward (a lease, then the backoff after a
-- failed check), so replicas share the work without a lock and an unreachable provider is asked less often.
ALTER TABLE orders
  ADD COLUMN payment_checks   integer NOT NULL DEFAULT 0,
  ADD COLUMN payment_check_at timestamptz;

-- Down Migration

ALTER TABLE orders DROP COLUMN payment_check_at, DROP COLUMN payment_checks;
