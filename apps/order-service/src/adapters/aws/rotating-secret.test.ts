import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRotatingSecret } from './rotating-secret.ts';
import { createSecretsManagerReader, SecretError, type SecretVersionReader } from './secrets.ts';
import { testCredentials } from './testing/aws-json-endpoint.ts';
import {
  startFakeSecretsManager,
  type FakeSecretsManager,
} from './testing/fake-secrets-manager.ts';

const HOUR = 60 * 60_000;
let secretCount = 0;
let secretsManager: FakeSecretsManager;
let reader: SecretVersionReader;
let clock = Date.parse('2026-11-25T12:00:00Z');
const now = () => clock;

beforeAll(async () => {
  secretsManager = await startFakeSecretsManager();
  reader = createSecretsManagerReader(
    { region: 'eu-west-1', endpoint: secretsManager.endpoint.url },
    { credentials: testCredentials },
  );
});

/** A fresh secret whose only version was made a month ago. */
function secretWith(value: string): string {
  secretCount += 1;
  const id = `order-service/payment-callback-${secretCount}`;
  secretsManager.put(id, value, new Date(clock - 30 * 24 * HOUR));
  return id;
}
afterAll(() => secretsManager.endpoint.close());

describe('a rotating secret (payment callback HMAC key)', () => {
  it('accepts only the current key while no rotation is recent', async () => {
    const id = secretWith('key-1');
    const secret = await loadRotatingSecret({ secretId: id }, reader, { graceMs: HOUR, now });
    secret.stop();
    expect(secret.current()).toBe('key-1');
    expect(secret.accepted()).toEqual(['key-1']);
  });

  it('after a rotation mid-run, signs with the new key and accepts the old one for the grace period', async () => {
    const id = secretWith('key-1');
    const secret = await loadRotatingSecret({ secretId: id }, reader, { graceMs: HOUR, now });
    secret.stop();

    secretsManager.put(id, 'key-2', new Date(clock));
    expect(secret.accepted()).toEqual(['key-1']);
    await secret.refresh();
    expect(secret.current()).toBe('key-2');
    expect(secret.accepted()).toEqual(['key-2', 'key-1']);

    clock += HOUR - 1;
    expect(secret.accepted()).toEqual(['key-2', 'key-1']);
    clock += 1;
    expect(secret.accepted()).toEqual(['key-2']);
  });

  it('notices a rotation by itself, on its refresh interval', async () => {
    const id = secretWith('key-2');
    const secret = await loadRotatingSecret({ secretId: id }, reader, {
      refreshIntervalMs: 10,
      now,
    });
    try {
      secretsManager.put(id, 'key-3', new Date(clock));
      await vi.waitFor(() => expect(secret.current()).toBe('key-3'));
      expect(secret.accepted()).toEqual(['key-3', 'key-2']);
    } finally {
      secret.stop();
    }
  });

  it('keeps the known keys when a refresh fails, and reports the failure', async () => {
    const id = secretWith('key-3');
    let failing = false;
    const flaky: SecretVersionReader = {
      getVersion: (secretId, stage) =>
        failing ? Promise.reject(new Error('network down')) : reader.getVersion(secretId, stage),
    };
    const errors: unknown[] = [];
    const secret = await loadRotatingSecret({ secretId: id }, flaky, {
      refreshIntervalMs: 10,
      onRefreshError: (error) => errors.push(error),
      now,
    });
    try {
      failing = true;
      await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
      expect(secret.current()).toBe('key-3');
    } finally {
      secret.stop();
    }
  });

  it('fails start-up with a clear error when the secret does not exist', async () => {
    const error: unknown = await loadRotatingSecret(
      { secretId: 'order-service/nope' },
      reader,
    ).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SecretError);
    expect((error as SecretError).message).toContain('"order-service/nope" was not found');
  });

  it('uses a value given directly as it is, without asking AWS', async () => {
    const calls = secretsManager.endpoint.calls.length;
    const secret = await loadRotatingSecret({ value: 'local-key' }, reader);
    expect(secret.accepted()).toEqual(['local-key']);
    expect(secretsManager.endpoint.calls.length).toBe(calls);
  });
});
