import { fileURLToPath } from 'node:url';
import { CustomResource, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeVpcCustomResource } from './vpc-custom-resource-findings.ts';

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
    acknowledgeVpcCustomResource(this.function, provider, {
      name: 'bootstrap function',
      inVpcTo: 'to reach the database',
    });
  }
}
