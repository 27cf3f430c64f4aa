import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../testing/test-server.ts';
import { eventually, startTestServer, uniqueKey } from '../testing/test-server.ts';

/**
 * Placing an order while the network between the service and PostgreSQL breaks at the worst moment, with a
 * fault-injecting proxy in front of the database (testing/fault-proxy.ts).
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ workers: true, faultProxy: true });
});
afterAll(async () => {
  await t.stop();
});

/** The statement that stores a placed order: named once prepared (real PostgreSQL), by its text on PGlite. */
const INSERT_PLACED_ORDER = /insert-placed-order|INSERT INTO orders \(/;

const proxy = () => {
  if (!t.proxy) throw new Error('started without the fault proxy');
  return t.proxy;
};
const read = async (id: string) => (await t.inject({ url: `/api/v1/orders/${id}` })).json();
const ordersOf = async (userId: string) =>
  (
    await t.server.context.db.query<{ id: string }>(`SELECT id FROM orders WHERE user_id = $1`, [
      userId,
    ])
  ).rows.map((row) => row.id);

/** Every order id the product side was asked to reserve or release stock for, in order. */
const stockCalls: string[] = [];
beforeAll(() => {
  const inventory = t.peers.inventory;
  const realReserve = inventory.reserve.bind(inventory);
  const realRelease = inventory.release.bind(inventory);
  inventory.reserve = async (request) => {
    stockCalls.push(`reserve ${request.orderId}`);
    return realReserve(request);
  };
  inventory.release = async (orderId) => {
    stockCalls.push(`release ${orderId}`);
    return realRelease(orderId);
  };
});
afterEach(() => {
  proxy().heal();
  stockCalls.length = 0;
});

describe('when the database committed the order but its answer was lost', () => {
  it('answers 201 with the stored order, keeps the stock reserved, and the order proceeds to PAID', async () => {
    const key = uniqueKey('lost-reply');
    const struck = proxy().cutAt(INSERT_PLACED_ORDER, 'reply');
    const response = await t.placeOrder({ userId: 'lost-reply' }, key);
    await struck;

    expect(response.statusCode).toBe(201);
    const order = response.json();
    expect(await ordersOf('lost-reply')).toEqual([order.id]);
    expect(stockCalls).toEqual([`reserve ${order.id}`]);

    // A retry gets the same answer, and nothing is reserved again.
    const replay = await t.placeOrder({ userId: 'lost-reply' }, key);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(response.body);

    // No oversell: the reservation is committed with the payment, never released.
    await eventually(async () => ((await read(order.id)).status === 'PAID' ? true : undefined));
    await eventually(() =>
      t.peers.inventory.reservations.get(order.id) === 'committed' ? true : undefined,
    );
    expect(stockCalls).not.toContain(`release ${order.id}`);
  });
});

describe('when the order never reached the database', () => {
  it('releases the reservation and the key: the retry places the order once', async () => {
    const key = uniqueKey('lost-request');
    const struck = proxy().cutAt(INSERT_PLACED_ORDER, 'request');
    const failed = await t.placeOrder({ userId: 'lost-request' }, key);
    await struck;

    // The database went away mid-request: 503, retry later (issue 9), and nothing half-done stays.
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toMatchObject({ code: 'dependency_unavailable', dependency: 'database' });
    expect(await ordersOf('lost-request')).toEqual([]);
    const [reserved] = stockCalls;
    const firstOrderId = reserved?.split(' ')[1];
    expect(stockCalls).toEqual([`reserve ${firstOrderId}`, `release ${firstOrderId}`]);

    const retried = await t.placeOrder({ userId: 'lost-request' }, key);
    expect(retried.statusCode).toBe(201);
    expect(await ordersOf('lost-request')).toEqual([retried.json().id]);
  });
});

describe('when the database goes away in the middle of a request', () => {
  it('answers the client’s retry as soon as the database is back, instead of 409 for a minute', async () => {
    const key = uniqueKey('outage');
    const inventory = t.peers.inventory;
    const reserveNormally = inventory.reserve;
    // The stock is reserved, then every connection drops and no new one gets through.
    inventory.reserve = async (request) => {
      const reservation = await reserveNormally(request);
      proxy().refuse();
      proxy().cutAll();
      return reservation;
    };
    try {
      const failed = await t.placeOrder({ userId: 'outage' }, key);
      expect(failed.statusCode).toBe(503);
    } finally {
      inventory.reserve = reserveNormally;
    }
    const firstOrderId = stockCalls[0]?.split(' ')[1];

    proxy().heal();
    const retried = await eventually(async () => {
      const response = await t.placeOrder({ userId: 'outage' }, key);
      if (response.statusCode === 409) return undefined;
      return response;
    }, 5_000);
    expect(retried.statusCode).toBe(201);
    expect(await ordersOf('outage')).toEqual([retried.json().id]);
    // The failed attempt's reservation is given back once it is certain that its order was not stored.
    await eventually(() => (stockCalls.includes(`release ${firstOrderId}`) ? true : undefined));
  });
});
