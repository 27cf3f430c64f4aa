import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { connectionsAlarmThreshold } from '../config/connection-budget.ts';
import type { DatabaseConfig } from '../config/environment-config.ts';
import { DatabaseRoles } from './database-roles.ts';

/** The PostgreSQL port, literal so security group rules stay readable (and checkable). */
export const POSTGRES_PORT = 5432;

/** Logs the instance exports to CloudWatch (`/aws/rds/instance/<id>/<type>`). */
const exportedLogs = ['postgresql', 'upgrade'] as const;

export interface DatabaseProps {
  readonly config: DatabaseConfig;
  readonly vpc: ec2.IVpc;
  /** Where the instance lives: no route to the internet. */
  readonly isolatedSubnets: ec2.SubnetSelection;
  /** Where the rotation functions and the role bootstrap run: they need the Secrets Manager endpoint. */
  readonly privateSubnets: ec2.SubnetSelection;
  /** The DB instance identifier, e.g. `mallhive-dev-orders` (it names the log groups too). */
  readonly instanceIdentifier: string;
  /** The service's secret, e.g. `order-service/db` (the service may read only this one). */
  readonly applicationSecretName: string;
  /** The master secret, outside the service's prefix, e.g. `mallhive-dev/db-master`. */
  readonly masterSecretName: string;
  /** The customer key of the service's secrets (the service role may decrypt with it). */
  readonly secretsKey: kms.IKey;
  /** What happens to keys, secrets and log groups when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * RDS PostgreSQL for the order service: isolated subnets, encrypted with its own customer key, TLS
 * enforced by `rds.force_ssl`, max_connections set from the connection budget. The service connects
 * as an application role (created by `DatabaseRoles`, rotated multi-user), never as the master user,
 * whose secret lies outside the service's prefix and is rotated on its own. Log groups exist before
 * the instance, with retention; Database Insights replaces Performance Insights.
 */
export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly securityGroup: ec2.SecurityGroup;
  readonly masterSecret: secretsmanager.ISecret;
  /** The service's credentials and address (username, password, host, port, dbname). */
  readonly applicationSecret: secretsmanager.ISecret;
  readonly roles: DatabaseRoles;
  /** Where the connections alarm fires: 80 % of max_connections. */
  readonly connectionsAlarmThreshold: number;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { config } = props;
    const engine = rds.DatabaseInstanceEngine.postgres({
      version: rds.PostgresEngineVersion.of(
        config.postgresVersion,
        config.postgresVersion.split('.')[0] ?? '',
      ),
    });

    const key = new kms.Key(this, 'StorageKey', {
      description: 'Order database storage, snapshots, master secret and Database Insights',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description:
        'Order database: PostgreSQL from the order-service pods, the rotation functions and the role bootstrap only',
      allowAllOutbound: false,
    });

    const parameters = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'Order database: TLS required, max_connections from the connection budget',
      parameters: {
        'rds.force_ssl': '1',
        max_connections: String(config.maxConnections),
      },
    });

    const masterSecret = new rds.DatabaseSecret(this, 'MasterSecret', {
      username: config.masterUsername,
      secretName: props.masterSecretName,
      encryptionKey: key,
    });
    masterSecret.applyRemovalPolicy(props.removalPolicy);

    const logGroups = exportedLogs.map(
      (type) =>
        new logs.LogGroup(this, `${type}Logs`, {
          logGroupName: `/aws/rds/instance/${props.instanceIdentifier}/${type}`,
          retention: config.logRetentionDays as logs.RetentionDays,
          removalPolicy: props.removalPolicy,
        }),
    );

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine,
      instanceIdentifier: props.instanceIdentifier,
      instanceType: new ec2.InstanceType(config.instanceClass),
      vpc: props.vpc,
      vpcSubnets: props.isolatedSubnets,
      securityGroups: [this.securityGroup],
      publiclyAccessible: false,
      port: POSTGRES_PORT,
      databaseName: config.databaseName,
      credentials: rds.Credentials.fromSecret(masterSecret),
      parameterGroup: parameters,
      storageEncrypted: true,
      storageEncryptionKey: key,
      allocatedStorage: config.allocatedStorageGiB,
      maxAllocatedStorage: config.maxAllocatedStorageGiB,
      storageType: rds.StorageType.GP3,
      multiAz: config.multiAz,
      deletionProtection: config.deletionProtection,
      removalPolicy: config.snapshotOnDelete ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      backupRetention: Duration.days(config.backupRetentionDays),
      preferredBackupWindow: config.backupWindow,
      preferredMaintenanceWindow: config.maintenanceWindow,
      copyTagsToSnapshot: true,
      ...(config.insights === 'advanced'
        ? {
            databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
            performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_15,
          }
        : {
            databaseInsightsMode: rds.DatabaseInsightsMode.STANDARD,
            performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
          }),
      performanceInsightEncryptionKey: key,
      cloudwatchLogsExports: [...exportedLogs],
      autoMinorVersionUpgrade: true,
    });
    // RDS would create the log groups itself, without retention; ours must exist first.
    this.instance.node.addDependency(...logGroups);
    this.masterSecret = this.instance.secret!;

    const applicationSecret = new rds.DatabaseSecret(this, 'ApplicationSecret', {
      username: config.applicationUsername,
      secretName: props.applicationSecretName,
      encryptionKey: props.secretsKey,
      masterSecret,
      dbname: config.databaseName,
    });
    applicationSecret.applyRemovalPolicy(props.removalPolicy);
    this.applicationSecret = applicationSecret.attach(this.instance);

    this.roles = new DatabaseRoles(this, 'Roles', {
      vpc: props.vpc,
      subnets: props.privateSubnets,
      masterSecret: this.masterSecret,
      applicationSecret: this.applicationSecret,
    });
    // (It follows the instance through the secrets' attachment, which it reads.)
    this.allowClientsFrom(this.roles.securityGroup, 'PostgreSQL from the role bootstrap');
    this.roles.securityGroup.addEgressRule(
      ec2.Peer.ipv4(props.vpc.vpcCidrBlock),
      ec2.Port.tcp(443),
      'HTTPS to the Secrets Manager endpoint',
    );

    this.acknowledgeFindings(config);
    // The master secret rotates on its own; the service's role alternates between two users
    // (multi-user), so a rotation never invalidates the password the pods hold.
    this.instance.addRotationSingleUser({
      automaticallyAfter: Duration.days(config.rotationDays),
      vpcSubnets: props.privateSubnets,
    });
    const applicationRotation = this.instance.addRotationMultiUser('ApplicationRotation', {
      secret: this.applicationSecret,
      automaticallyAfter: Duration.days(config.rotationDays),
      vpcSubnets: props.privateSubnets,
    });
    // The first rotation must find the role the bootstrap creates.
    applicationRotation.node.addDependency(this.roles.resource);
    this.connectionsAlarmThreshold = connectionsAlarmThreshold(config.maxConnections);
  }

  private acknowledgeFindings(config: DatabaseConfig): void {
    const instance = Validations.of(this.instance);
    instance.acknowledge({
      id: 'AwsSolutions-RDS11',
      reason:
        'A non-default port hides nothing inside a private VPC; 5432 is reachable only from the pod security group, the rotation functions and the role bootstrap.',
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
