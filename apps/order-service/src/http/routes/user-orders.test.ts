import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../testing/test-server.ts';
import { startTestServer } from '../../testing/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  // Strictly increasing timestamps, so "newest first" has one right answer even within a millisecond.
  let last = 0;
  const clock = () => new Date((last = Math.max(Date.now(), last + 1)));
  t = await startTestServer({ overrides: { clock } });
});
afterAll(async () => {
  await t.stop();
});

const page = (userId: string, query = '') =>
  t.inject({ url: `/api/v1/users/${userId}/orders${query}` });

async function readAll(userId: string, limit: number, between?: () => Promise<unknown>) {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const response = await page(
      userId,
      `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(response.statusCode).toBe(200);
    const body = response.json();
    seen.push(...body.items.map((order: { id: string }) => order.id));
    cursor = body.nextCursor;
    await between?.();
  } while (cursor);
  return seen;
}

describe('GET /api/v1/users/{userId}/orders', () => {
  it("lists only that user's orders, newest first, 20 to a page by default", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push((await t.placeOrder({ userId: 'lister' })).json().id);
    await t.placeOrder({ userId: 'someone-else' });

    const first = (await page('lister')).json();
    expect(first.items).toHaveLength(20);
    expect(first.items.map((order: { id: string }) => order.id)).toEqual(ids.slice(-20).reverse());
    expect(first.nextCursor).toEqual(expect.any(String));

    expect(await readAll('lister', 7)).toEqual([...ids].reverse());
  });

  it('filters by status', async () => {
    const kept = (await t.placeOrder({ userId: 'filterer' })).json().id;
    const cancelled = (await t.placeOrder({ userId: 'filterer' })).json().id;
    await t.inject({
      method: 'POST',
      url: `/api/v1/orders/${cancelled}/cancel`,
      payload: { reason: 'test' },
    });

    const pending = (await page('filterer', '?status=PENDING')).json();
    expect(pending.items.map((order: { id: string }) => order.id)).toEqual([kept]);
    const bad = await page('filterer', '?status=LOST');
    expect(bad.statusCode).toBe(400);
  });

  it('never skips or repeats an order while new orders arrive between pages', async () => {
    const before: string[] = [];
    for (let i = 0; i < 10; i++) before.push((await t.placeOrder({ userId: 'busy' })).json().id);
    const arrivedDuring: string[] = [];
    const seen = await readAll('busy', 3, async () => {
      arrivedDuring.push((await t.placeOrder({ userId: 'busy' })).json().id);
    });
    // Pages continue from where the first one started: every earlier order exactly once, in order.
    expect(seen).toEqual([...before].reverse());
    expect(new Set(seen).size).toBe(seen.length);
    expect(arrivedDuring.some((id) => seen.includes(id))).toBe(false);
  });

  it('refuses a forged or edited cursor with 400 invalid_cursor', async () => {
    for (let i = 0; i < 3; i++) await t.placeOrder({ userId: 'forger' });
    const { nextCursor } = (await page('forger', '?limit=1')).json();
    const [payload, signature] = nextCursor.split('.');
    const forged = `${Buffer.from(JSON.stringify({ t: '2099-01-01T00:00:00.000Z', i: '00000000-0000-4000-8000-000000000000', l: 'forger|' })).toString('base64url')}.${signature}`;
    for (const cursor of [forged, `${payload}.AAAA`, 'not-a-cursor']) {
      const response = await page('forger', `?cursor=${encodeURIComponent(cursor)}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_cursor');
    }
    const otherUser = await page('someone-else', `?cursor=${encodeURIComponent(nextCursor)}`);
    expect(otherUser.json().code).toBe('invalid_cursor');
  });

  it('bounds the page size to 1–100', async () => {
    expect((await page('lister', '?limit=0')).statusCode).toBe(400);
    expect((await page('lister', '?limit=101')).statusCode).toBe(400);
    expect((await page('lister', '?limit=abc')).json().code).toBe('validation_failed');
    expect((await page('lister', '?limit=100')).statusCode).toBe(200);
  });
});
