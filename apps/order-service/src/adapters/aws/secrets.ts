/**
 * Secrets from AWS Secrets Manager. On EKS the SDK's default credential chain authenticates through IRSA;
 * the IAM policy allows only ids under `order-service/`. Values are cached briefly, and `invalidate`
 * forces the next read to fetch again (after a rotation was noticed, e.g. PostgreSQL answering 28P01).
 */
import type {
  GetSecretValueCommand,
  GetSecretValueCommandOutput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { z } from 'zod';
import type { Config, SecretSource } from '../../config/config.ts';
import { awsClientConfig, type StaticCredentials } from './aws-client-config.ts';
import { SecretError } from './secret-error.ts';

export { SecretError } from './secret-error.ts';

export interface SecretReader {
  /** The secret's current string value. Throws SecretError. */
  getString(id: string): Promise<string>;
  /** The current value parsed as JSON (unchecked: prefer `readSecretJson` with a schema). */
  getJson<T>(id: string): Promise<T>;
  /** Forgets the cached value, so the next read asks Secrets Manager again. */
  invalidate(id: string): void;
}

type VersionStage = 'AWSCURRENT' | 'AWSPREVIOUS';

interface SecretVersion {
  readonly value: string;
  /** When this version was created, i.e. when the rotation that made it happened. */
  readonly createdAt: Date | undefined;
}

/** Reads one staged version, uncached; undefined when the secret has no version in that stage. */
export interface SecretVersionReader {
  getVersion(id: string, stage: VersionStage): Promise<SecretVersion | undefined>;
}

export interface SecretsManagerReaderOptions {
  /** How long a value is reused before it is fetched again (default 5 minutes). */
  readonly cacheTtlMs?: number;
  /** Only for tests against a local endpoint; production uses the default chain (IRSA). */
  readonly credentials?: StaticCredentials;
  readonly now?: () => number;
}

const DEFAULT_SECRET_CACHE_TTL_MS = 5 * 60_000;

export function createSecretsManagerReader(
  aws: Config['aws'],
  options: SecretsManagerReaderOptions = {},
): SecretReader & SecretVersionReader & { close(): void } {
  const clientConfig = awsClientConfig(aws, options.credentials);
  // The SDK is loaded on the first read: most configurations outside the cluster read no secret, and
  // loading it costs start-up time (docs/performance.md, "Start-up").
  let sdk:
    Promise<{ client: SecretsManagerClient; Command: typeof GetSecretValueCommand }> | undefined;
  const loadSdk = () =>
    (sdk ??= import('@aws-sdk/client-secrets-manager').then((module) => ({
      client: new module.SecretsManagerClient(clientConfig),
      Command: module.GetSecretValueCommand,
    })));
  const ttlMs = options.cacheTtlMs ?? DEFAULT_SECRET_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { expiresAt: number; value: Promise<string> }>();

  const fetchVersion = async (id: string, stage: VersionStage) => {
    let output: GetSecretValueCommandOutput;
    try {
      const { client, Command } = await loadSdk();
      output = await client.send(new Command({ SecretId: id, VersionStage: stage }));
    } catch (error) {
      throw describeFailure(id, stage, error);
    }
    if (output.SecretString === undefined) {
      throw new SecretError(
        id,
        'malformed',
        `Secret "${id}" holds binary data; the service expects a SecretString.`,
      );
    }
    return { value: output.SecretString, createdAt: output.CreatedDate };
  };

  const reader = {
    getString(id: string): Promise<string> {
      const cached = cache.get(id);
      if (cached && cached.expiresAt > now()) return cached.value;
      const value = fetchVersion(id, 'AWSCURRENT').then((version) => version.value);
      cache.set(id, { expiresAt: now() + ttlMs, value });
      // A failed read is not remembered: the next call tries again.
      value.catch(() => {
        if (cache.get(id)?.value === value) cache.delete(id);
      });
      return value;
    },
    async getJson<T>(id: string): Promise<T> {
      return parseSecretJson(id, await reader.getString(id)) as T;
    },
    invalidate(id: string): void {
      cache.delete(id);
    },
    async getVersion(id: string, stage: VersionStage): Promise<SecretVersion | undefined> {
      try {
        return await fetchVersion(id, stage);
      } catch (error) {
        // Before the first rotation there is no AWSPREVIOUS: that is not an error.
        if (
          stage === 'AWSPREVIOUS' &&
          error instanceof SecretError &&
          error.problem === 'not_found'
        ) {
          return undefined;
        }
        throw error;
      }
    },
    close(): void {
      void sdk?.then(({ client }) => client.destroy());
    },
  };
  return reader;
}

/** A secret given directly (local use) or by id (AWS Secrets Manager). */
export async function resolveSecret(source: SecretSource, reader: SecretReader): Promise<string> {
  return 'value' in source ? source.value : reader.getString(source.secretId);
}

/** Reads a JSON secret and checks its shape; errors list the bad fields, never the values. */
export async function readSecretJson<T>(
  reader: SecretReader,
  id: string,
  schema: z.ZodType<T>,
): Promise<T> {
  return checkSecretJson(id, parseSecretJson(id, await reader.getString(id)), schema);
}

export function parseSecretJson(id: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SecretError(id, 'malformed', `Secret "${id}" is not valid JSON.`);
  }
}

export function checkSecretJson<T>(id: string, value: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
  throw new SecretError(
    id,
    'malformed',
    `Secret "${id}" is missing or has invalid fields: ${fields.join(', ')}.`,
  );
}

function describeFailure(id: string, stage: VersionStage, error: unknown): SecretError {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'ResourceNotFoundException':
      return new SecretError(
        id,
        'not_found',
        stage === 'AWSCURRENT'
          ? `Secret "${id}" was not found in AWS Secrets Manager: create it, or fix the *_SECRET_ID setting that names it.`
          : `Secret "${id}" has no ${stage} version.`,
        error,
      );
    case 'AccessDeniedException':
    case 'AccessDenied':
      return new SecretError(
        id,
        'access_denied',
        `Access to secret "${id}" was denied: the service account's IAM role (IRSA) must allow secretsmanager:GetSecretValue on it (and kms:Decrypt on its key).`,
        error,
      );
    case 'DecryptionFailure':
      return new SecretError(
        id,
        'access_denied',
        `Secret "${id}" could not be decrypted: the IAM role needs kms:Decrypt on the secret's KMS key.`,
        error,
      );
    default:
      return new SecretError(
        id,
        'unavailable',
        `Could not read secret "${id}" from AWS Secrets Manager: ${error instanceof Error ? error.message : String(error)}`,
        error,
      );
  }
}
