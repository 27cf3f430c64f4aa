import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCredentials } from './adapters/aws/testing/aws-json-endpoint.ts';
import type { FakeSecretsManager } from './adapters/aws/testing/fake-secrets-manager.ts';
import { startFakeSecretsManager } from './adapters/aws/testing/fake-secrets-manager.ts';
import { DEV_CURSOR_SECRET } from './config/secrets.ts';
import { runServiceUntilExit } from './testing/service-process.ts';
import type { TestDatabase } from '@mallhive/testing';
import { createTestDatabase } from './testing/test-database.ts';

/**
 * The process in production mode refuses to start with a key anyone could know or guess — whether the
 * key is given directly or read from AWS Secrets Manager (here a local stand-in) — and says which setting.
 */

let secretsManager: FakeSecretsManager;
let database: TestDatabase;

beforeAll(async () => {
  secretsManager = await startFakeSecretsManager();
  database = await createTestDatabase();
});
afterAll(async () => {
  await secretsManager.endpoint.close();
  await database.drop();
});

const START_TIMEOUT_MS = 45_000;

const strongKey = () => randomBytes(32).toString('base64');

const production = () => ({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '0',
  PUBLIC_BASE_URL: 'https://order.internal.mallhive.com',
  DATABASE_URL: database.url,
  EVENT_BUS: 'log',
  PRODUCT_SERVICE_URL: 'http://product-service.product-service.svc.cluster.local:4100',
  PAYMENT_SERVICE_URL: 'http://payment-service.payment-service.svc.cluster.local:4500',
  NOTIFICATION_SERVICE_URL:
    'http://notification-service.notification-service.svc.cluster.local:4400',
  ANALYTICS_SERVICE_URL: 'http://analytics-service.analytics-service.svc.cluster.local:4800',
  AWS_REGION: 'eu-west-1',
  AWS_ENDPOINT_URL: secretsManager.endpoint.url,
  AWS_ACCESS_KEY_ID: testCredentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
  PAYMENT_CALLBACK_SECRET_ID: 'order-service/payment-callback',
  CURSOR_SECRET_ID: 'order-service/cursor',
  ANALYTICS_SECRET_ID: 'order-service/analytics',
  // Never contacted: start-up stops before any request.
  AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
  AUTH_ALLOWED_CLIENT_IDS: 'warehouse-client-id',
  METRICS_PORT: '0',
});

describe('start-up in production with unsafe keys', () => {
  it('refuses a development key given directly, naming the setting and not the key', async () => {
    const run = await runServiceUntilExit(
      {
        ...production(),
        CURSOR_SECRET_ID: '',
        CURSOR_SECRET: DEV_CURSOR_SECRET,
      },
      START_TIMEOUT_MS,
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('- CURSOR_SECRET: is a published development key');
    expect(run.stderr).not.toContain(DEV_CURSOR_SECRET);
  });

  it.each([
    ['PAYMENT_CALLBACK_SECRET_ID', 'order-service/payment-callback'],
    ['CURSOR_SECRET_ID', 'order-service/cursor'],
    ['ANALYTICS_SECRET_ID', 'order-service/analytics'],
  ])(
    'refuses a short key read from Secrets Manager through %s, naming the setting and the secret',
    async (setting, secretId) => {
      for (const id of [
        'order-service/payment-callback',
        'order-service/cursor',
        'order-service/analytics',
      ]) {
        secretsManager.put(id, id === secretId ? 'sixteen-bytes-ok' : strongKey());
      }
      // Migrations run before the keys are read: allow a slow start on a loaded machine.
      const run = await runServiceUntilExit(production(), START_TIMEOUT_MS);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        `order-service cannot start. ${setting}: the secret "${secretId}" is 16 bytes long`,
      );
      expect(run.stderr).not.toContain('sixteen-bytes-ok');
    },
    60_000,
  );
});
