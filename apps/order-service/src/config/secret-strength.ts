import type { SecretSource } from './secrets.ts';

/** HMAC-SHA256 keys and bearer keys: at least as many random bytes as the hash has (RFC 2104 §3). */
export const MIN_SECRET_BYTES = 32;

/**
 * Why `key` must not protect production, or undefined when it may: a key published in this repository
 * (a development default), or one too short to resist guessing. Never mentions the key itself.
 */
export function secretWeakness(key: string, publishedKeys: readonly string[]): string | undefined {
  if (publishedKeys.includes(key)) {
    return 'is a published development key; production needs its own random key';
  }
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes < MIN_SECRET_BYTES) {
    return `is ${bytes} bytes long; production needs a random key of at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 32)`;
  }
  return undefined;
}

/**
 * The start-up check of a key read from AWS Secrets Manager (a key given directly is checked with the rest
 * of the configuration): in production, a weak key stops start-up naming the setting and the secret id.
 */
export function assertStrongSecret(
  mode: 'production' | 'development' | 'test',
  idSetting: string,
  source: SecretSource,
  key: string,
  publishedKeys: readonly string[],
): string {
  if (mode !== 'production' || !('secretId' in source)) return key;
  const weakness = secretWeakness(key, publishedKeys);
  if (weakness) throw new Error(`${idSetting}: the secret "${source.secretId}" ${weakness}.`);
  return key;
}
