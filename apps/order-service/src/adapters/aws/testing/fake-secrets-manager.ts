/**
 * Secrets Manager as the tests need it: GetSecretValue by version stage, rotation that moves AWSCURRENT to
 * AWSPREVIOUS, and the IAM policy of production (only `order-service/*` may be read). Test support only.
 */
import { startAwsJsonEndpoint, type AwsJsonEndpoint } from './aws-json-endpoint.ts';

interface StoredVersion {
  readonly value: string;
  readonly createdAt: Date;
}

export interface FakeSecretsManager {
  readonly endpoint: AwsJsonEndpoint;
  /** Creates the secret, or rotates it: the old current value becomes AWSPREVIOUS. */
  put(id: string, value: string, createdAt?: Date): void;
  /** How many GetSecretValue calls asked for this secret. */
  reads(id: string): number;
}

export async function startFakeSecretsManager(): Promise<FakeSecretsManager> {
  const secrets = new Map<string, { current: StoredVersion; previous?: StoredVersion }>();
  const endpoint = await startAwsJsonEndpoint(({ operation, input }) => {
    const id = String(input.SecretId);
    if (operation !== 'GetSecretValue') {
      return { error: 'InvalidRequestException', message: `unsupported ${operation}` };
    }
    if (!id.startsWith('order-service/')) {
      return {
        error: 'AccessDeniedException',
        message: `User is not authorized to perform: secretsmanager:GetSecretValue on resource: ${id}`,
      };
    }
    const secret = secrets.get(id);
    const stage = String(input.VersionStage ?? 'AWSCURRENT');
    const version = stage === 'AWSPREVIOUS' ? secret?.previous : secret?.current;
    if (!version) {
      return {
        error: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      };
    }
    return {
      output: {
        Name: id,
        SecretString: version.value,
        VersionStages: [stage],
        CreatedDate: version.createdAt.getTime() / 1000,
      },
    };
  });
  return {
    endpoint,
    put(id, value, createdAt = new Date()) {
      const existing = secrets.get(id);
      secrets.set(id, { current: { value, createdAt }, previous: existing?.current });
    },
    reads: (id) =>
      endpoint.calls.filter(
        (call) => call.operation === 'GetSecretValue' && call.input.SecretId === id,
      ).length,
  };
}
