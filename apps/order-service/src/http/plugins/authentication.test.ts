import { describe, expect, it } from 'vitest';
import { Scope } from '@mallhive/order-contracts';
import { startTestServer } from '../../testing/test-server.ts';

describe('when the identity provider cannot be reached', () => {
  it('answers 503 dependency_unavailable with Retry-After, never 500 or 401', async () => {
    const t = await startTestServer();
    try {
      const token = await t.issuer.customer('user-1');
      // Down before the service ever fetched its keys: no cached keys to fall back on.
      t.issuer.server.failWith = 503;
      const response = await t.inject({ url: '/api/v1/users/user-1/orders', token });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        code: 'dependency_unavailable',
        dependency: 'identity provider',
      });
      expect(response.headers['retry-after']).toBe('5');

      // Once it is back (and the cooldown after the failure has passed), the same token works.
      t.issuer.server.failWith = undefined;
      await expect
        .poll(
          async () => (await t.inject({ url: '/api/v1/users/user-1/orders', token })).statusCode,
          { timeout: 40_000, interval: 1_000 },
        )
        .toBe(200);
    } finally {
      await t.stop();
    }
  }, 60_000);
});

describe('per-caller rate limits', () => {
  it('answers 429 rate_limited with Retry-After once a caller exceeds its limit; others are unaffected', async () => {
    const t = await startTestServer({
      env: { RATE_LIMIT_USER_MAX: '3', RATE_LIMIT_SERVICE_MAX: '5', RATE_LIMIT_WINDOW: '1m' },
    });
    try {
      const noisy = await t.issuer.customer('user-noisy');
      const list = (token: string, user = 'user-noisy') =>
        t.inject({ url: `/api/v1/users/${user}/orders`, token });
      const answers = [];
      for (let index = 0; index < 4; index++) answers.push((await list(noisy)).statusCode);
      expect(answers).toEqual([200, 200, 200, 429]);

      const limited = await list(noisy);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json().code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

      // The limit is per caller: another user, and a service with its own higher limit, go on.
      expect((await list(await t.issuer.customer('user-quiet'), 'user-quiet')).statusCode).toBe(
        200,
      );
      const support = await t.issuer.service('warehouse-client', Scope.Read);
      const serviceAnswers = [];
      for (let index = 0; index < 6; index++) {
        serviceAnswers.push((await list(support)).statusCode);
      }
      expect(serviceAnswers).toEqual([200, 200, 200, 200, 200, 429]);
    } finally {
      await t.stop();
    }
  });
});
