import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import pg from 'pg';
import { ensureApplicationRole } from './application-role.ts';

interface DatabaseSecret {
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
}

/** What the CDK Provider framework passes to an onEvent handler (the fields used here). */
interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceProperties: {
    readonly MasterSecretArn: string;
    readonly ApplicationSecretArn: string;
  };
}

const secrets = new SecretsManagerClient({});

async function readSecret(secretId: string): Promise<DatabaseSecret> {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) throw new Error(`secret ${secretId} has no value`);
  return JSON.parse(SecretString) as DatabaseSecret;
}

/**
 * Custom resource handler (CDK Provider framework, onEvent): connects to RDS as the master user and
 * creates the service's application role (ensureApplicationRole). Runs in the VPC; TLS is verified
 * against the Amazon CAs the Lambda runtime ships (NODE_EXTRA_CA_CERTS). Delete does nothing: the
 * roles go with the database.
 */
export async function handler(event: CustomResourceEvent) {
  const { MasterSecretArn, ApplicationSecretArn } = event.ResourceProperties;
  if (event.RequestType !== 'Delete') {
    const [master, application] = await Promise.all([
      readSecret(MasterSecretArn),
      readSecret(ApplicationSecretArn),
    ]);
    const client = new pg.Client({
      host: master.host,
      port: Number(master.port),
      database: application.dbname,
      user: master.username,
      password: master.password,
      ssl: { rejectUnauthorized: true },
      connectionTimeoutMillis: 10_000,
    });
    await client.connect();
    try {
      await ensureApplicationRole(client, {
        username: application.username,
        password: application.password,
        database: application.dbname,
      });
    } finally {
      await client.end();
    }
  }
  return { PhysicalResourceId: `application-role:${ApplicationSecretArn}` };
}
