import { describe, expect, it } from 'vitest';
import { dev } from './dev.ts';
import type { EnvironmentConfig } from './environment-config.ts';
import {
  InvalidConfigError,
  loadConfig,
  validateConfig,
  validateEnvironmentSet,
} from './load-config.ts';
import { prod } from './prod.ts';
import { placeholderImageTag } from './shared-settings.ts';

function withChanges(change: (config: EnvironmentConfig) => EnvironmentConfig): EnvironmentConfig {
  return change(structuredClone(dev) as EnvironmentConfig);
}

describe('selecting an environment with -c env=...', () => {
  it('uses dev when no environment is given', () => {
    expect(loadConfig({}).envName).toBe('dev');
  });

  it('selects prod by name', () => {
    expect(loadConfig({ env: 'prod' })).toEqual(prod);
  });

  it('stops with the list of valid names for an unknown environment', () => {
    expect(() => loadConfig({ env: 'staging' })).toThrow(
      /Unknown environment "staging" in context 'env': use one of dev, prod/,
    );
  });

  it('overrides the image tag from the imageTag context', () => {
    expect(loadConfig({ env: 'prod', imageTag: 'sha-1a2b3c' }).imageTag).toBe('sha-1a2b3c');
  });

  it('rejects an image tag Docker would refuse', () => {
    expect(() => loadConfig({ imageTag: 'not a tag' })).toThrow(
      /imageTag: must be a valid image tag/,
    );
  });

  it('rejects the mutable tag latest', () => {
    expect(() => loadConfig({ imageTag: 'latest' })).toThrow(/imageTag: must be immutable/);
  });

  it('takes the pushed image digest from the imageDigest context, next to its tag', () => {
    const imageDigest = `sha256:${'4e'.repeat(32)}`;
    expect(loadConfig({ env: 'prod', imageTag: 'sha-1a2b3c', imageDigest })).toMatchObject({
      imageTag: 'sha-1a2b3c',
      imageDigest,
    });
  });

  it('rejects a digest that is not a sha256 digest', () => {
    expect(() => loadConfig({ imageTag: 'abc123', imageDigest: 'sha256:abc' })).toThrow(
      /imageDigest: must be an image digest/,
    );
  });

  it('refuses a digest without the tag of the commit it was built from', () => {
    expect(() => loadConfig({ imageDigest: `sha256:${'4e'.repeat(32)}` })).toThrow(
      /'imageDigest' needs 'imageTag' too/,
    );
  });
});

describe('choosing what the template ships', () => {
  it('includes the workload with the undeployable placeholder tag when no tag is given', () => {
    expect(loadConfig({ env: 'dev' })).toMatchObject({
      deployWorkload: true,
      imageTag: placeholderImageTag,
    });
  });

  it.each([false, 'false'])('leaves the workload out with workload=%j', (workload) => {
    expect(loadConfig({ env: 'prod', workload }).deployWorkload).toBe(false);
  });

  it.each([true, 'true'])('keeps the workload with workload=%j', (workload) => {
    expect(loadConfig({ workload, imageTag: 'abc123' }).deployWorkload).toBe(true);
  });

  it('treats empty values (an Nx option not given) as not given', () => {
    expect(loadConfig({ imageTag: '', workload: '' })).toMatchObject({
      deployWorkload: true,
      imageTag: placeholderImageTag,
    });
  });

  it('refuses a workload flag that is neither true nor false', () => {
    expect(() => loadConfig({ workload: 'no' })).toThrow(
      /Context 'workload' must be true or false, got "no"/,
    );
  });

  it('refuses an image tag for a platform-only template, where it would be silently ignored', () => {
    expect(() => loadConfig({ workload: 'false', imageTag: 'abc123' })).toThrow(
      /'imageTag' has no effect with workload=false/,
    );
  });
});

describe('validating a configuration before anything is built', () => {
  it.each([dev, prod])('accepts the shipped $envName configuration', (config) => {
    expect(validateConfig(config)).toBe(config);
  });

  it.each<[string, (config: EnvironmentConfig) => EnvironmentConfig, RegExp]>([
    [
      'a database name with a hyphen',
      (c) => ({ ...c, database: { ...c.database, databaseName: 'order-db' } }),
      /database\.databaseName: must start with a letter and use only lowercase letters, digits and underscores \(no hyphens\)/,
    ],
    [
      'a user name with a hyphen',
      (c) => ({ ...c, database: { ...c.database, masterUsername: 'order-service' } }),
      /database\.masterUsername: .*no hyphens/,
    ],
    [
      'a malformed account id',
      (c) => ({ ...c, account: '1234' }),
      /account: must be a 12-digit AWS account id/,
    ],
    [
      'an API endpoint open to the world',
      (c) => ({ ...c, cluster: { ...c.cluster, publicApiCidrs: ['0.0.0.0/0'] } }),
      /cluster\.publicApiCidrs: must not open the API endpoint to 0\.0\.0\.0\/0/,
    ],
    [
      'more NAT gateways than AZs',
      (c) => ({ ...c, network: { ...c.network, natGateways: 3 } }),
      /network\.natGateways: cannot exceed the number of availabilityZones/,
    ],
    [
      'an AZ outside the region',
      (c) => ({ ...c, network: { ...c.network, availabilityZones: ['us-east-1a', 'us-east-1b'] } }),
      /network\.availabilityZones: must all be in `region`/,
    ],
    [
      'a host name outside the private zone',
      (c) => ({ ...c, dns: { ...c.dns, serviceHostName: 'order.mallhive.com' } }),
      /dns\.serviceHostName: must be a name inside privateZoneName/,
    ],
    [
      'a Kubernetes version without a kubectl layer',
      (c) => ({ ...c, cluster: { ...c.cluster, kubernetesVersion: '1.29' } }),
      /cluster\.kubernetesVersion: must be 1\.34/,
    ],
    // MSK Serverless accepts any retention.ms ("Configuration properties for MSK Serverless clusters":
    // maximum unlimited): only the service's memory of consumed messages bounds it.
    [
      'topics kept longer than the service remembers consumed messages',
      (c) => ({ ...c, events: { ...c.events, topicRetentionHours: 30 * 24 } }),
      /events\.topicRetentionHours: must not exceed 336 \(14 days\).*PROCESSED_MESSAGE_RETENTION/,
    ],
    [
      'backups kept longer than RDS allows',
      (c) => ({ ...c, database: { ...c.database, backupRetentionDays: 60 } }),
      /database\.backupRetentionDays: RDS keeps backups for at most 35 days/,
    ],
    [
      'an admin role from another account',
      (c) => ({
        ...c,
        cluster: { ...c.cluster, adminRoleArn: 'arn:aws:iam::999999999999:role/admin' },
      }),
      /cluster\.adminRoleArn: must be a role in the same account/,
    ],
    [
      'a single replica (one eviction would take the service down)',
      (c) => ({ ...c, workload: { ...c.workload, replicas: { min: 1, max: 3 } } }),
      /workload\.replicas\.min: must be at least 2/,
    ],
    [
      'a replica maximum below the minimum',
      (c) => ({ ...c, workload: { ...c.workload, replicas: { min: 4, max: 3 } } }),
      /workload\.replicas\.max: must be at least replicas\.min/,
    ],
    [
      'a peer URL on a port the pod security group blocks',
      (c) => ({
        ...c,
        workload: {
          ...c.workload,
          peerUrls: { ...c.workload.peerUrls, payment: 'http://payment.payment-service:8080' },
        },
      }),
      /workload\.peerUrls\.payment: must use one of peerPorts \(4100, 4400, 4500, 4800\)/,
    ],
    [
      'a peer URL that is not a URL',
      (c) => ({
        ...c,
        workload: { ...c.workload, peerUrls: { ...c.workload.peerUrls, product: 'product:4100' } },
      }),
      /workload\.peerUrls\.product: /,
    ],
    [
      'pod resources that Fargate rounds up to a larger size',
      (c) => ({
        ...c,
        workload: { ...c.workload, resources: { cpuMillis: 500, memoryMebibytes: 1024 } },
      }),
      /workload\.resources: 500m\/1024Mi: Fargate adds 256 MiB and provisions 0\.5 vCPU \/ 2 GB.*500m\/1792Mi/,
    ],
    [
      'a connection budget the database cannot hold',
      (c) => ({ ...c, workload: { ...c.workload, databasePoolMax: 20 } }),
      /database\.maxConnections: 250 is below the connection budget of 413: 19 pods \(replicas\.max and the rollout surge\) × databasePoolMax 20 = 380, \+ 19 presence-lock sessions \(one per pod\)/,
    ],
    [
      'more connections than RDS gives the instance class',
      (c) => ({ ...c, database: { ...c.database, maxConnections: 1000 } }),
      /database\.maxConnections: 1000 exceeds what RDS allows t4g\.medium by default \(450, from its memory\)/,
    ],
    [
      'an instance class whose connection limit is unknown',
      (c) => ({ ...c, database: { ...c.database, instanceClass: 'x9.huge' } }),
      /database\.instanceClass: must be one of t4g\.medium, /,
    ],
    [
      'the service connecting as the master user',
      (c) => ({
        ...c,
        database: { ...c.database, applicationUsername: c.database.masterUsername },
      }),
      /database\.applicationUsername: must differ from masterUsername/,
    ],
    [
      'a maintenance window inside the backup window',
      (c) => ({ ...c, database: { ...c.database, maintenanceWindow: 'tue:01:15-tue:01:45' } }),
      /database\.maintenanceWindow: must not overlap the backup window 01:00-01:30/,
    ],
    [
      'a log retention CloudWatch does not offer',
      (c) => ({ ...c, operations: { ...c.operations, podLogRetentionDays: 10 } }),
      /operations\.podLogRetentionDays: must be a retention CloudWatch Logs supports/,
    ],
  ])('rejects %s and names the field', (_, change, message) => {
    const invalid = withChanges(change);
    expect(() => validateConfig(invalid)).toThrow(InvalidConfigError);
    expect(() => validateConfig(invalid)).toThrow(message);
  });

  it('reports every problem at once, not only the first', () => {
    const invalid = withChanges((c) => ({ ...c, account: 'x', region: 'mars' }));
    expect(() => validateConfig(invalid)).toThrow(/account: .*\n.*region: /s);
  });
});

describe('validating the environments together', () => {
  // AWS::CertificateManager::Certificate (CloudFormation): DNS validation is automatic only when the
  // domain is hosted in Route 53 and "resides in your AWS account"; otherwise the stack stays in
  // CREATE_IN_PROGRESS until someone validates by hand. A public zone lives in one account.
  it('accepts the shipped environments: each validates certificates in a zone of its own account', () => {
    expect(() => validateEnvironmentSet([dev, prod])).not.toThrow();
    expect(dev.dns.publicZoneName).not.toBe(prod.dns.publicZoneName);
    expect(dev.dns.serviceHostName.endsWith(`.${dev.dns.publicZoneName}`)).toBe(true);
  });

  it('refuses two environments in different accounts that claim the same public zone', () => {
    const devClaimingProdZone = withChanges((c) => ({
      ...c,
      dns: {
        ...c.dns,
        publicZoneName: 'mallhive.com',
        serviceHostName: 'order.internal.mallhive.com',
        privateZoneName: 'internal.mallhive.com',
      },
    }));
    expect(() => validateEnvironmentSet([devClaimingProdZone, prod])).toThrow(
      /dns\.publicZoneName: dev \(account 111111111111\) and prod \(account 222222222222\) both claim the public zone mallhive\.com/,
    );
  });

  it('allows environments in the same account to share a zone', () => {
    const sameAccount = withChanges((c) => ({ ...c, account: prod.account, dns: prod.dns }));
    expect(() => validateEnvironmentSet([sameAccount, prod])).not.toThrow();
  });
});
