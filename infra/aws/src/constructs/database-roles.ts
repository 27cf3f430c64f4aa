import { fileURLToPath } from 'node:url';
import { type CfnElement, CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface DatabaseRolesProps {
  readonly vpc: ec2.IVpc;
  /** Subnets with the Secrets Manager endpoint and a route to the database. */
  readonly subnets: ec2.SubnetSelection;
  readonly masterSecret: secretsmanager.ISecret;
  /** The service's secret (username, password, host, dbname), attached to the instance. */
  readonly applicationSecret: secretsmanager.ISecret;
}

/**
 * Creates the service's PostgreSQL login role during the deploy, as the master user, with a Lambda
 * in the VPC (handlers/database-roles.ts): the service never holds master credentials, and the
 * multi-user rotation finds the role (and its clone) it rotates. A custom resource, not a Kubernetes
 * Job, because CloudFormation waits for it: the role exists before any pod starts, also in a
 * platform-only deploy, and a failure stops the deploy with the handler's error.
 */
export class DatabaseRoles extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly securityGroup: ec2.SecurityGroup;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: DatabaseRolesProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Database role bootstrap: PostgreSQL and the Secrets Manager endpoint only',
      allowAllOutbound: false,
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: fileURLToPath(new URL('../handlers/database-roles.ts', import.meta.url)),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.minutes(2),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [this.securityGroup],
      environment: {
        // Node.js 20+ runtimes do not trust the Amazon RDS CAs unless told to ("Building Lambda
        // functions with Node.js").
        NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      },
      bundling: { format: nodejs.OutputFormat.ESM, externalModules: ['pg-native'] },
    });
    props.masterSecret.grantRead(this.function);
    props.applicationSecret.grantRead(this.function);

    const provider = new cr.Provider(this, 'Provider', { onEventHandler: this.function });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ApplicationDatabaseRole',
      properties: {
        MasterSecretArn: props.masterSecret.secretArn,
        ApplicationSecretArn: props.applicationSecret.secretArn,
      },
    });
    this.acknowledgeFindings(provider);
  }

  private acknowledgeFindings(provider: cr.Provider): void {
    const functionId = Stack.of(this).getLogicalId(this.function.node.defaultChild as CfnElement);
    const managed = (name: string) =>
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`;
    Validations.of(this.function).acknowledge(
      {
        id: managed('AWSLambdaBasicExecutionRole'),
        reason: 'The bootstrap function writes only its own CloudWatch logs with this policy.',
      },
      {
        id: managed('AWSLambdaVPCAccessExecutionRole'),
        reason:
          'The bootstrap function runs in the VPC to reach the database; Lambda needs to manage its network interfaces.',
      },
    );
    Validations.of(provider).acknowledge(
      {
        id: managed('AWSLambdaBasicExecutionRole'),
        reason: 'The aws-cdk-lib provider framework function writes only its own CloudWatch logs.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The provider framework runtime is chosen by aws-cdk-lib and updated with it.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          'The provider framework may invoke the bootstrap function and its versions (Arn:*), and nothing else.',
      },
    );
  }
}
