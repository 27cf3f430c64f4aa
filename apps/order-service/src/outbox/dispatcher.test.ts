import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPublisher } from '../application/ports.ts';
import { DependencyUnavailableError } from '../domain/errors.ts';
import type { CloudEvent } from '../events/cloud-event.ts';
import { validateEvent } from '../events/event-catalogue.ts';
import type { TestServer } from '../testing/test-server.ts';
import { eventually, startTestServer } from '../testing/test-server.ts';

/** A broker stand-in that can be switched off, and remembers every event it accepted. */
class SwitchableSink implements EventPublisher {
  readonly received: CloudEvent[] = [];
  down = false;

  async publish(events: readonly CloudEvent[]): Promise<void> {
    if (this.down) throw new Error('broker unreachable');
    this.received.push(...events);
  }
}

describe('outbox relay during a broker outage', () => {
  const sink = new SwitchableSink();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      overrides: { publisher: sink },
      env: { OUTBOX_MAX_ATTEMPTS: '100' },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('keeps taking orders, reports the backlog honestly, and delivers every event exactly once per id after', async () => {
    sink.down = true;
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) {
      const response = await t.placeOrder({ userId: `outage-${i % 3}` });
      expect(response.statusCode).toBe(201);
      ids.push(response.json().id);
    }
    // Commands keep writing events too.
    for (const id of ids.slice(0, 5)) {
      await t.inject({
        method: 'POST',
        url: `/api/v1/orders/${id}/cancel`,
        payload: { reason: 'outage test' },
      });
    }
    for (let pass = 0; pass < 3; pass++) await t.server.dispatcher.runOnce();
    expect(sink.received).toHaveLength(0);

    const ready = await t.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().outbox.backlog).toBeGreaterThanOrEqual(20);
    const metrics = (await t.server.metricsApp.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/order_service_outbox_backlog [1-9]\d*/);

    const waiting = await t.server.context.db.query<{ id: string }>(
      `SELECT id FROM outbox WHERE kind = 'event.publish'`,
    );
    expect(waiting.rowCount).toBeGreaterThanOrEqual(20);

    sink.down = false;
    // Retries are scheduled with backoff; make them due now instead of waiting.
    await t.server.context.db.query('UPDATE outbox SET available_at = now()');
    await eventually(async () => {
      await t.server.dispatcher.runOnce();
      const published = await t.server.context.db.query(
        `SELECT 1 FROM outbox WHERE kind = 'event.publish'`,
      );
      return published.rowCount === 0 ? true : undefined;
    });

    const eventIds = sink.received.map((event) => event.id);
    expect(new Set(eventIds).size).toBe(eventIds.length);
    for (const { id } of waiting.rows)
      expect(eventIds.filter((eventId) => eventId === id)).toHaveLength(1);
    for (const id of ids) {
      const types = sink.received
        .filter((event) => event.subject === id)
        .map((event) => event.type);
      // Per order, in order of creation.
      expect(types[0]).toBe('com.mallhive.order.placed.v1');
      if (ids.indexOf(id) < 5)
        expect(types).toEqual(['com.mallhive.order.placed.v1', 'com.mallhive.order.cancelled.v1']);
    }
    for (const event of sink.received) expect(validateEvent(event)).toEqual({ valid: true });
  });
});

describe('retries and dead letters', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      env: { OUTBOX_MAX_ATTEMPTS: '3' },
      overrides: {
        peers: {
          notifications: {
            async sendEmail() {
              throw new Error('notification service says 500');
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  const entry = async (orderId: string) =>
    (
      await t.server.context.db.query<{
        attempts: number;
        last_error: string;
        dead_at: Date | null;
        wait_ms: number;
      }>(
        `SELECT attempts, last_error, dead_at, (extract(epoch FROM available_at - now()) * 1000)::float8 AS wait_ms
         FROM outbox WHERE order_id = $1 AND kind = 'notification.send' AND payload->'event'->>'type' = 'placed'`,
        [orderId],
      )
    ).rows[0];

  it('retries a failing step with growing backoff, then marks it dead — kept, counted, never dropped', async () => {
    const { id } = (await t.placeOrder()).json();
    await t.server.dispatcher.runOnce();
    const first = await entry(id);
    expect(first).toMatchObject({
      attempts: 1,
      last_error: 'notification service says 500',
      dead_at: null,
    });
    expect(first?.wait_ms).toBeGreaterThan(0);

    await t.server.context.db.query(`UPDATE outbox SET available_at = now() WHERE order_id = $1`, [
      id,
    ]);
    await t.server.dispatcher.runOnce();
    const second = await entry(id);
    expect(second?.attempts).toBe(2);
    expect(second?.wait_ms).toBeGreaterThan((first?.wait_ms ?? 0) * 0.9);

    await t.server.context.db.query(`UPDATE outbox SET available_at = now() WHERE order_id = $1`, [
      id,
    ]);
    await t.server.dispatcher.runOnce();
    const dead = await entry(id);
    expect(dead?.attempts).toBe(3);
    expect(dead?.dead_at).toBeInstanceOf(Date);

    // Dead entries are not claimed again.
    await t.server.context.db.query(`UPDATE outbox SET available_at = now() WHERE order_id = $1`, [
      id,
    ]);
    await t.server.dispatcher.runOnce();
    expect((await entry(id))?.attempts).toBe(3);

    const metrics = (await t.server.metricsApp.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/order_service_outbox_dead [1-9]/);
    expect(metrics).toMatch(
      /order_service_outbox_processed_total\{kind="notification.send",outcome="dead"\} [1-9]/,
    );
  });

  it('waits as long as a peer asked with Retry-After before trying again', async () => {
    const slow = await startTestServer({
      overrides: {
        peers: {
          analytics: {
            async record() {
              throw new DependencyUnavailableError('analytics', 120);
            },
          },
        },
      },
    });
    try {
      const { id } = (await slow.placeOrder()).json();
      await slow.server.dispatcher.runOnce();
      const row = await slow.server.context.db.query<{ wait_ms: number }>(
        `SELECT (extract(epoch FROM available_at - now()) * 1000)::float8 AS wait_ms
         FROM outbox WHERE order_id = $1 AND kind = 'analytics.record'
           AND payload->'event'->>'type' = 'placed'`,
        [id],
      );
      expect(row.rows[0]?.wait_ms).toBeGreaterThan(110_000);
    } finally {
      await slow.stop();
    }
  });

  it('does not let a failing step hold up the others', async () => {
    const { id } = (await t.placeOrder()).json();
    const left = await eventually(async () => {
      await t.server.dispatcher.runOnce();
      const rows = await t.server.context.db.query<{ kind: string }>(
        `SELECT kind FROM outbox WHERE order_id = $1 AND dead_at IS NULL`,
        [id],
      );
      const kinds = new Set(rows.rows.map((row) => row.kind));
      return kinds.size === 1 ? [...kinds] : undefined;
    });
    expect(left).toEqual(['notification.send']);
    expect((await t.inject({ url: `/api/v1/orders/${id}` })).json().status).toBe('PAID');
  });
});

describe('several dispatchers on one database', () => {
  let t: TestServer;
  const sink = new SwitchableSink();
  beforeAll(async () => {
    t = await startTestServer({ overrides: { publisher: sink } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('never hand the same entry to two of them at once', async () => {
    for (let i = 0; i < 30; i++) await t.placeOrder({ userId: `replica-${i}` });
    const { OutboxDispatcher } = await import('./dispatcher.ts');
    const { createFollowUpHandlers } = await import('./follow-up-handlers.ts');
    const replica = () =>
      new OutboxDispatcher(
        {
          db: t.server.context.db,
          publisher: sink,
          handlers: createFollowUpHandlers(t.server.context, { publicBaseUrl: 'http://127.0.0.1' }),
          metrics: t.server.context.metrics,
          logger: t.server.context.logger,
        },
        { pollIntervalMs: 10, batchSize: 7, maxAttempts: 5 },
      );
    const replicas = [replica(), replica(), replica()];
    await eventually(async () => {
      const claimed = await Promise.all(replicas.map((r) => r.runOnce()));
      return claimed.every((n) => n === 0) ? true : undefined;
    });
    const placedEvents = sink.received.filter(
      (event) => event.type === 'com.mallhive.order.placed.v1',
    );
    expect(placedEvents).toHaveLength(30);
    expect(new Set(placedEvents.map((event) => event.id)).size).toBe(30);
  });
});

describe('the outbox layout (issue 14: each event written once)', () => {
  const sink = new SwitchableSink();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ overrides: { publisher: sink } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it("stores the step's whole event only in its event.publish entry; the other follow-ups carry what they need", async () => {
    const { id, items } = (await t.placeOrder({ userId: 'layout-ada' })).json();
    const rows = await t.server.context.db.query<{
      kind: string;
      payload: { event: { data: Record<string, unknown> } };
    }>(`SELECT kind, payload FROM outbox WHERE order_id = $1 ORDER BY seq`, [id]);
    const withItems = rows.rows.filter((row) => 'items' in row.payload.event.data);
    expect(withItems.map((row) => row.kind)).toEqual(['event.publish']);
    expect(rows.rows.map((row) => row.kind).sort()).toEqual([
      'analytics.record',
      'event.publish',
      'notification.send',
      'payment.initiate',
    ]);

    await eventually(async () => {
      await t.server.dispatcher.runOnce();
      return sink.received.some((event) => event.subject === id) ? true : undefined;
    });
    const placed = sink.received.find((event) => event.subject === id);
    expect(placed?.data).toMatchObject({ items });
    expect(validateEvent(placed as CloudEvent)).toEqual({ valid: true });
  });

  it('still carries out entries written in the earlier layout (the whole event in every entry)', async () => {
    const { id, userId, total, currency } = (await t.placeOrder({ userId: 'legacy-bob' })).json();
    // What a replica of the previous release wrote for this order's placement, during a rolling deploy.
    const event = {
      type: 'placed',
      orderId: id,
      occurredAt: new Date().toISOString(),
      data: {
        orderId: id,
        userId,
        status: 'PENDING',
        previousStatus: null,
        reason: null,
        total: { amount: total, currency },
        items: [{ productId: 'sku-legacy', quantity: 1, unitPrice: total, lineTotal: total }],
        payment: null,
        shipment: null,
      },
    };
    const legacy = [
      { id: crypto.randomUUID(), followUp: { kind: 'event.publish' } },
      { id: crypto.randomUUID(), followUp: { kind: 'analytics.record' } },
      {
        id: crypto.randomUUID(),
        followUp: { kind: 'notification.send' },
        recipient: 'legacy@example.com',
      },
    ].map((entry) => ({ ...entry, orderId: id, event }));
    await t.server.context.db.query(`DELETE FROM outbox WHERE order_id = $1`, [id]);
    for (const entry of legacy) {
      await t.server.context.db.query(
        `INSERT INTO outbox (id, order_id, kind, payload) VALUES ($1, $2, $3, $4::jsonb)`,
        [entry.id, id, entry.followUp.kind, JSON.stringify(entry)],
      );
    }

    await eventually(async () => {
      await t.server.dispatcher.runOnce();
      const left = await t.server.context.db.query(`SELECT 1 FROM outbox WHERE order_id = $1`, [
        id,
      ]);
      return left.rowCount === 0 ? true : undefined;
    });
    const published = sink.received.filter((cloudEvent) => cloudEvent.id === legacy[0]?.id);
    expect(published).toHaveLength(1);
    expect(published[0]?.data).toMatchObject({ items: [{ productId: 'sku-legacy' }] });
    expect(t.peers.analytics.recorded.get(legacy[1]?.id ?? '')).toMatchObject({
      orderId: id,
      eventSubtype: 'order_placed',
      value: total / 100,
    });
    expect(t.peers.notifications.sent.get(legacy[2]?.id ?? '')).toMatchObject({
      to: 'legacy@example.com',
      subject: `Order ${id.slice(0, 8).toUpperCase()} received`,
    });
  });
});
