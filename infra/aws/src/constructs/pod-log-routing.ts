import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface PodLogRoutingProps {
  readonly clusterName: string;
  readonly namespace: string;
  readonly retentionDays: number;
  /** The Fargate pod execution role; Fargate's built-in Fluent Bit writes logs with it. */
  readonly podExecutionRole: iam.IRole;
}

/**
 * Destination of the pods' logs. Fargate cannot run log DaemonSets; its built-in Fluent Bit router
 * (configured by the `aws-observability/aws-logging` ConfigMap the chart applies) writes to this group
 * with the pod execution role, which gets exactly the permissions to do so.
 */
export class PodLogRouting extends Construct {
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PodLogRoutingProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/eks/${props.clusterName}/${props.namespace}`,
      retention: props.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    props.podExecutionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FargateLogRouterWrite',
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
  }
}
