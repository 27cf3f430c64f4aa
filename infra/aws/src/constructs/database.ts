import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { DatabaseConfig } from '../config/environment-config.ts';

/** The PostgreSQL port, literal so security group rules stay readable (and checkable). */
export const POSTGRES_PORT = 5432;

export interface DatabaseProps {
  readonly config: DatabaseConfig;
  readonly vpc: ec2.IVpc;
  /** Where the instance lives: no route to the internet. */
  readonly isolatedSubnets: ec2.SubnetSelection;
  /** Where the rotation function runs: it needs the Secrets Manager endpoint. */
  readonly privateSubnets: ec2.SubnetSelection;
  /** Name of the generated credentials secret, e.g. `order-service/db`. */
  readonly credentialsSecretName: string;
  /** The customer key of the service's secrets (the service role may decrypt with it). */
  readonly secretsKey: kms.IKey;
  /** What happens to the storage key (and log groups) when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * RDS PostgreSQL for the order service: isolated subnets, encrypted with its own customer key, TLS
 * enforced by `rds.force_ssl`, credentials generated into Secrets Manager and rotated automatically.
 * Only security groups passed to `allowClientsFrom` (and the rotation function) reach port 5432.
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config } = props;
    const engine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.of(
        config.postgresVersion,
        config.postgresVersion.split('.')[0] ?? '',
      ),
    });

    const storageKey = new kms.Key(this, 'StorageKey', {
      description: 'Order database storage, snapshots and Performance Insights',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description:
        'Order database: PostgreSQL from the order-service pods and the rotation function only',
      allowAllOutbound: false,
    });

    const parameters = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'Order database: TLS required',
      parameters: { 'rds.force_ssl': '1' },
    });

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceType: new ec2.InstanceType(config.instanceClass),
      vpc: props.vpc,
      vpcSubnets: props.isolatedSubnets,
      securityGroups: [this.securityGroup],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      databaseName: config.databaseName,
      credentials: rds.Credentials.fromGeneratedSecret(config.masterUsername, {
        secretName: props.credentialsSecretName,
        encryptionKey: props.secretsKey,
      }),
      parameterGroup: parameters,
      storageEncrypted: true,
      storageEncryptionKey: storageKey,
      allocatedStorage: config.allocatedStorageGiB,
      maxAllocatedStorage: config.maxAllocatedStorageGiB,
      storageType: rds.StorageType.GP3,
      multiAz: config.multiAz,
      deletionProtection: config.deletionProtection,
      removalPolicy: config.snapshotOnDelete ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      backupRetention: Duration.days(config.backupRetentionDays),
      copyTagsToSnapshot: true,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: storageKey,
      cloudwatchLogsExports: ['postgresql', 'upgrade'],
      autoMinorVersionUpgrade: true,
    });

    this.acknowledgeFindings(config);
    this.instance.addRotationSingleUser({
      automaticallyAfter: Duration.days(config.rotationDays),
      vpcSubnets: props.privateSubnets,
    });
  }

  private acknowledgeFindings(config: DatabaseConfig): void {
    const instance = Validations.of(this.instance);
    instance.acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'A non-default port hides nothing inside a private VPC; 5432 is reachable only from the pod security group and the rotation function.',
    });
    if (!config.multiAz) {
      instance.acknowledge({
        id: 'AwsSolutions-RDS3',
        reason:
          'Single-AZ by configuration in this environment (dev): downtime during failover is acceptable, cost is not.',
      });
    }
    if (!config.deletionProtection) {
      instance.acknowledge({
        id: 'AwsSolutions-RDS10',
        reason:
          'Deletion protection off by configuration in this environment (dev) so it can be torn down; prod enables it.',
      });
    }
  }

  /** Admits PostgreSQL connections from the given security group (and from nothing else). */
  allowClientsFrom(client: ec2.ISecurityGroup, description: string): void {
    this.instance.connections.allowFrom(client, ec2.Port.tcp(POSTGRES_PORT), description);
  }
}
