-- Up Migration

-- State of the in-process payment simulator (outside production only; empty in production), kept in the
-- database so that, like a real payment service, it remembers its payments across a restart.
CREATE TABLE simulated_payments (
  payment_id     text PRIMARY KEY,
  order_id       uuid        NOT NULL,
  amount         bigint      NOT NULL,
  currency       char(3)     NOT NULL,
  -- What the simulated provider decided at initiation, and when it takes effect; NULL: never (paylost-).
  outcome        text,
  failure_reason text,
  settles_at     timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE simulated_refunds (
  refund_id  text PRIMARY KEY,
  payment_id text        NOT NULL,
  amount     bigint      NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE simulated_refunds;
DROP TABLE simulated_payments;
