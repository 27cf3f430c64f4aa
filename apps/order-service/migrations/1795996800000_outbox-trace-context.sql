-- Up Migration

-- The W3C trace context (traceparent, tracestate) of the work that wrote each outbox entry: the dispatcher
-- carries the entry out as part of that trace, so an order's payment, emails and events show up under the
-- request that caused them. NULL when the writer was not traced.
ALTER TABLE outbox
  ADD COLUMN traceparent text,
  ADD COLUMN tracestate  text;

-- Down Migration

ALTER TABLE outbox DROP COLUMN tracestate, DROP COLUMN traceparent;
