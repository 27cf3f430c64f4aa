import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDatabaseSecret } from './database-secret.ts';
import { createSecretsManagerReader, resolveSecret, SecretError } from './secrets.ts';
import { testCredentials } from './testing/aws-json-endpoint.ts';
import {
  startFakeSecretsManager,
  type FakeSecretsManager,
} from './testing/fake-secrets-manager.ts';

let secretsManager: FakeSecretsManager;
let clock = 0;

beforeAll(async () => {
  secretsManager = await startFakeSecretsManager();
});
afterAll(() => secretsManager.endpoint.close());

function reader(cacheTtlMs = 60_000) {
  return createSecretsManagerReader(
    { region: 'eu-west-1', endpoint: secretsManager.endpoint.url },
    { credentials: testCredentials, cacheTtlMs, now: () => clock },
  );
}

async function failure(promise: Promise<unknown>): Promise<SecretError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SecretError);
  return error as SecretError;
}

describe('Secrets Manager reader (real SDK client against a local endpoint)', () => {
  it('reads a string secret and parses a JSON one', async () => {
    secretsManager.put('order-service/analytics', 'analytics-key-1');
    secretsManager.put('order-service/kafka', '{"username":"orders","password":"s3cret"}');
    const secrets = reader();
    expect(await secrets.getString('order-service/analytics')).toBe('analytics-key-1');
    expect(await secrets.getJson('order-service/kafka')).toEqual({
      username: 'orders',
      password: 's3cret',
    });
  });

  it('names the missing secret and the setting to fix', async () => {
    const error = await failure(reader().getString('order-service/missing'));
    expect(error.problem).toBe('not_found');
    expect(error.message).toBe(
      'Secret "order-service/missing" was not found in AWS Secrets Manager: create it, or fix the *_SECRET_ID setting that names it.',
    );
  });

  it('explains a denied read in terms of the IRSA role', async () => {
    const error = await failure(reader().getString('billing/db'));
    expect(error.problem).toBe('access_denied');
    expect(error.message).toContain('Access to secret "billing/db" was denied');
    expect(error.message).toContain('secretsmanager:GetSecretValue');
  });

  it('reuses a value within the cache period, and reads the rotated value after invalidate', async () => {
    secretsManager.put('order-service/cursor', 'cursor-key-1');
    const secrets = reader();
    expect(await secrets.getString('order-service/cursor')).toBe('cursor-key-1');
    secretsManager.put('order-service/cursor', 'cursor-key-2');
    expect(await secrets.getString('order-service/cursor')).toBe('cursor-key-1');
    expect(secretsManager.reads('order-service/cursor')).toBe(1);

    secrets.invalidate('order-service/cursor');
    expect(await secrets.getString('order-service/cursor')).toBe('cursor-key-2');
  });

  it('reads again once the cache period is over', async () => {
    secretsManager.put('order-service/ttl', 'one');
    const secrets = reader(1_000);
    await secrets.getString('order-service/ttl');
    secretsManager.put('order-service/ttl', 'two');
    clock += 1_001;
    expect(await secrets.getString('order-service/ttl')).toBe('two');
  });

  it('does not remember a failed read', async () => {
    const secrets = reader();
    await failure(secrets.getString('order-service/late'));
    secretsManager.put('order-service/late', 'now-there');
    expect(await secrets.getString('order-service/late')).toBe('now-there');
  });

  it('refuses a JSON secret that is not JSON, without echoing its content', async () => {
    secretsManager.put('order-service/broken', 'password=hunter2');
    const error = await failure(reader().getJson('order-service/broken'));
    expect(error.message).toBe('Secret "order-service/broken" is not valid JSON.');
    expect(error.message).not.toContain('hunter2');
  });
});

describe('resolveSecret', () => {
  it('uses a value given directly without asking AWS', async () => {
    const calls = secretsManager.endpoint.calls.length;
    expect(await resolveSecret({ value: 'local-key' }, reader())).toBe('local-key');
    expect(secretsManager.endpoint.calls.length).toBe(calls);
  });

  it('reads a secret given by id', async () => {
    secretsManager.put('order-service/payment-callback', 'hmac-key');
    expect(await resolveSecret({ secretId: 'order-service/payment-callback' }, reader())).toBe(
      'hmac-key',
    );
  });
});

describe('readDatabaseSecret', () => {
  const rdsSecret = {
    engine: 'postgres',
    username: 'orders',
    password: 'pw-1',
    host: 'orders.cluster-abc.eu-west-1.rds.amazonaws.com',
    port: 5432,
    dbname: 'orders',
  };

  it('returns the credentials and address RDS wrote', async () => {
    secretsManager.put('order-service/db', JSON.stringify(rdsSecret));
    expect(await readDatabaseSecret(reader(), 'order-service/db')).toEqual({
      username: 'orders',
      password: 'pw-1',
      host: 'orders.cluster-abc.eu-west-1.rds.amazonaws.com',
      port: 5432,
      dbname: 'orders',
    });
  });

  it('accepts a port written as a string', async () => {
    secretsManager.put(
      'order-service/db-string-port',
      JSON.stringify({ ...rdsSecret, port: '5433' }),
    );
    const secret = await readDatabaseSecret(reader(), 'order-service/db-string-port');
    expect(secret.port).toBe(5433);
  });

  it('lists every missing or invalid field, and never the password', async () => {
    const partial: Record<string, unknown> = { ...rdsSecret, port: 'postgres' };
    delete partial.host;
    delete partial.dbname;
    secretsManager.put('order-service/db-partial', JSON.stringify(partial));
    const error = await failure(readDatabaseSecret(reader(), 'order-service/db-partial'));
    expect(error.problem).toBe('malformed');
    expect(error.message).toBe(
      'Secret "order-service/db-partial" is missing or has invalid fields: host, port, dbname.',
    );
    expect(error.message).not.toContain('pw-1');
  });
});
