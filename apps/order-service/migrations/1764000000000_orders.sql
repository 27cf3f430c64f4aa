-- Up Migration

CREATE TABLE orders (
  id               uuid PRIMARY KEY,
  user_id          text        NOT NULL,
  status           text        NOT NULL,
  currency         char(3)     NOT NULL,
  subtotal         bigint      NOT NULL CHECK (subtotal >= 0),
  total            bigint      NOT NULL CHECK (total >= 0),
  customer_email   text        NOT NULL,
  shipping_address jsonb       NOT NULL,
  payment_id       text,
  payment_status   text,
  shipment         jsonb,
  version          integer     NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
-- A user's orders, newest first (keyset pagination on created_at, id).
CREATE INDEX orders_by_user ON orders (user_id, created_at DESC, id DESC);
-- The reconciliation sweeper looks for orders waiting too long for their payment.
CREATE INDEX orders_awaiting_payment ON orders (updated_at) WHERE status = 'AWAITING_PAYMENT';

CREATE TABLE order_items (
  order_id   uuid     NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position   smallint NOT NULL,
  product_id text     NOT NULL,
  quantity   integer  NOT NULL CHECK (quantity > 0),
  unit_price bigint   NOT NULL CHECK (unit_price >= 0),
  line_total bigint   NOT NULL CHECK (line_total >= 0),
  PRIMARY KEY (order_id, position)
);

CREATE TABLE order_status_history (
  id          bigserial PRIMARY KEY,
  order_id    uuid        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  from_status text,
  to_status   text        NOT NULL,
  reason      text,
  actor       text        NOT NULL,
  at          timestamptz NOT NULL
);
CREATE INDEX order_status_history_by_order ON order_status_history (order_id, id);

-- Follow-up work written in the same transaction as each step; the dispatcher deletes a row once done.
CREATE TABLE outbox (
  id           uuid PRIMARY KEY,
  seq          bigserial   NOT NULL,
  order_id     uuid        NOT NULL,
  kind         text        NOT NULL,
  payload      jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts     integer     NOT NULL DEFAULT 0,
  last_error   text,
  dead_at      timestamptz
);
CREATE INDEX outbox_due ON outbox (seq) WHERE dead_at IS NULL;
-- Events of one order are published in order: the relay looks for an earlier unpublished one.
CREATE INDEX outbox_publish_order ON outbox (order_id, seq) WHERE kind = 'event.publish' AND dead_at IS NULL;

CREATE TABLE idempotency_keys (
  key          text PRIMARY KEY,
  request_hash text        NOT NULL,
  completed    boolean     NOT NULL DEFAULT false,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- Messages already applied (payment results consumed from Kafka), for exactly-once effects.
CREATE TABLE processed_messages (
  message_id   text PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE processed_messages;
DROP TABLE idempotency_keys;
DROP TABLE outbox;
DROP TABLE order_status_history;
DROP TABLE order_items;
DROP TABLE orders;
