import {
  FargateLogRouterChart,
  fargateLogRouterData,
  type LogRouterProps,
} from '@mallhive/infra-k8s';
import { App as Cdk8sApp } from 'cdk8s';
import type { RemovalPolicy } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface PodLogRoutingProps {
  readonly cluster: eks.ICluster;
  readonly clusterName: string;
  readonly namespace: string;
  readonly retentionDays: number;
  /** The Fargate pod execution role; Fargate's built-in Fluent Bit writes logs with it. */
  readonly podExecutionRole: iam.IRole;
  /** What happens to the log group when the stack is deleted (kept in prod, deleted in dev). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Fargate logging for the cluster: the `aws-observability/aws-logging` configuration of Fargate's
 * built-in Fluent Bit router (infra/k8s `FargateLogRouterChart`) and the log group it writes the
 * order service's containers to, with exactly the permissions to do so on the pod execution role.
 * The configuration is cluster-wide, so it belongs to the platform: a platform-only deploy
 * (`-c workload=false`) keeps it, and it is applied with `kubectl apply` (safe if it already exists).
 */
export class PodLogRouting extends Construct {
  readonly logGroup: logs.LogGroup;
  /** The `aws-observability` Namespace and `aws-logging` ConfigMap; pods must be created after it. */
  readonly routerConfig: eks.KubernetesManifest;
  /** The `aws-logging` data as applied (the workload's pods are replaced when it changes). */
  readonly routerData: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PodLogRoutingProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/eks/${props.clusterName}/${props.namespace}`,
      retention: props.retentionDays as logs.RetentionDays,
      removalPolicy: props.removalPolicy,
    });
    props.podExecutionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'FargateLogRouterWrite',
        actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const router: LogRouterProps = {
      logGroupName: this.logGroup.logGroupName,
      region: Stack.of(this).region,
    };
    this.routerData = fargateLogRouterData(router);
    const chart = new FargateLogRouterChart(new Cdk8sApp(), 'FargateLogRouter', router);
    this.routerConfig = new eks.KubernetesManifest(this, 'RouterConfig', {
      cluster: props.cluster,
      manifest: chart.toJson(),
      overwrite: true,
    });
  }
}
