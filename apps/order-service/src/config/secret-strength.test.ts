import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEV_ANALYTICS_API_KEY, DEV_PAYMENT_CALLBACK_SECRET } from '@mallhive/order-contracts';
import { loadConfig } from './config.ts';
import { DEV_CURSOR_SECRET, DEVELOPMENT_KEYS } from './secrets.ts';
import { assertStrongSecret } from './secret-strength.ts';
import { problemsOf, productionWithoutKeys } from '../testing/config-fixtures.ts';

const strongKey = () => randomBytes(32).toString('base64');

/** A production configuration with its three keys given as values. */
const production = (keys: Record<string, string>) => ({
  ...productionWithoutKeys,
  DATABASE_URL: 'postgres://orders@db.internal:5432/orders',
  PAYMENT_CALLBACK_SECRET: strongKey(),
  CURSOR_SECRET: strongKey(),
  ANALYTICS_API_KEY: strongKey(),
  ...keys,
});

describe('production refuses unsafe keys at start-up', () => {
  it('accepts random keys of 32 bytes', () => {
    expect(problemsOf(production({}))).toEqual([]);
  });

  it.each([
    ['PAYMENT_CALLBACK_SECRET', DEV_PAYMENT_CALLBACK_SECRET],
    ['CURSOR_SECRET', DEV_CURSOR_SECRET],
    ['ANALYTICS_API_KEY', DEV_ANALYTICS_API_KEY],
  ])('refuses the published development key as %s, naming the setting', (setting, key) => {
    const problems = problemsOf(production({ [setting]: key }));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${setting}: is a published`))]);
    expect(problems.join()).not.toContain(key);
  });

  it.each(['PAYMENT_CALLBACK_SECRET', 'CURSOR_SECRET', 'ANALYTICS_API_KEY'])(
    'refuses a %s shorter than 32 bytes, saying how long it is and never what it is',
    (setting) => {
      const short = 'x'.repeat(31);
      const problems = problemsOf(production({ [setting]: short }));
      expect(problems).toEqual([`${setting}: ${weakMessage(31)}`]);
    },
  );

  it('still accepts the development keys outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).cursorSecret).toEqual({
      value: DEV_CURSOR_SECRET,
    });
  });

  it('checks a key read from Secrets Manager too, naming the setting and the secret id', () => {
    const source = { secretId: 'order-service/cursor' };
    expect(() =>
      assertStrongSecret('production', 'CURSOR_SECRET_ID', source, 'short', DEVELOPMENT_KEYS),
    ).toThrow(`CURSOR_SECRET_ID: the secret "order-service/cursor" ${weakMessage(5)}.`);
    const key = strongKey();
    expect(
      assertStrongSecret('production', 'CURSOR_SECRET_ID', source, key, DEVELOPMENT_KEYS),
    ).toBe(key);
    expect(assertStrongSecret('test', 'CURSOR_SECRET_ID', source, 'short', DEVELOPMENT_KEYS)).toBe(
      'short',
    );
  });
});

const weakMessage = (bytes: number) =>
  `is ${bytes} bytes long; production needs a random key of at least 32 bytes (e.g. openssl rand -base64 32)`;
