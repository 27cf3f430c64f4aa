import {
  AdotCollectorChart,
  adotCollector,
  adotCollectorImage,
  orderService,
  restrictedNamespaceLabels,
  platformCollectorConfig,
} from '@mallhive/infra-k8s';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { App as Cdk8sApp } from 'cdk8s';
import { Construct, type IDependable } from 'constructs';
import type { ObservabilityConfig } from '../../config/environment-config.ts';
import type { PrometheusWorkspace } from './prometheus-workspace.ts';

export interface AdotCollectorProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  readonly envName: string;
  readonly vpc: ec2.IVpc;
  readonly vpcCidr: string;
  readonly privateSubnets: ec2.SubnetSelection;
  readonly workspace: PrometheusWorkspace;
  readonly config: ObservabilityConfig;
  /** Log groups X-Ray links traces to (the order service's pod logs). */
  readonly traceLogGroupNames: readonly string[];
  /** Security groups of pods that send traces (OTLP to the collector). */
  readonly tracingClients: readonly ec2.SecurityGroup[];
  /** The order-service Namespace: the collector's discovery Role lives in it. */
  readonly serviceNamespace: IDependable;
}

/**
 * The ADOT collector on Fargate: its own namespace and Fargate profile, an IRSA role that may only
 * remote-write to the one AMP workspace and put trace segments to X-Ray, and the infra/k8s
 * AdotCollectorChart applied after all of them.
 */
export class AdotCollector extends Construct {
  readonly serviceAccount: eks.ServiceAccount;
  readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: AdotCollectorProps) {
    super(scope, id);
    const { cluster } = props;
    const { namespace } = adotCollector;

    const namespaceManifest = cluster.addManifest('ObservabilityNamespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { ...restrictedNamespaceLabels } },
    });
    const profile = cluster.addFargateProfile('ObservabilityProfile', {
      fargateProfileName: namespace,
      selectors: [{ namespace }],
      podExecutionRole: this.podExecutionRole(props.clusterName),
      vpc: props.vpc,
      subnetSelection: props.privateSubnets,
    });

    this.serviceAccount = new eks.ServiceAccount(this, 'ServiceAccount', {
      cluster,
      name: adotCollector.serviceAccountName,
      namespace,
      labels: { 'app.kubernetes.io/name': adotCollector.name },
    });
    this.serviceAccount.node.addDependency(namespaceManifest);
    this.grantWrites(props.workspace);

    const chart = new AdotCollectorChart(new Cdk8sApp(), 'AdotCollector', {
      envName: props.envName,
      image: adotCollectorImage,
      manageNamespace: false,
      discoveryNamespaces: [orderService.name],
      resources: props.config.collector,
      config: platformCollectorConfig({
        region: Stack.of(this).region,
        remoteWriteUrl: props.workspace.remoteWriteUrl,
        clusterName: props.clusterName,
        podMetricsNamespaces: [orderService.name, namespace],
        traceLogGroupNames: props.traceLogGroupNames,
      }),
    });
    this.manifest = cluster.addCdk8sChart('AdotCollectorChart', chart);
    this.manifest.node.addDependency(
      namespaceManifest,
      this.serviceAccount,
      profile,
      props.serviceNamespace,
    );

    for (const client of props.tracingClients) {
      for (const port of [adotCollector.ports.otlpHttp, adotCollector.ports.otlpGrpc]) {
        client.addEgressRule(
          ec2.Peer.ipv4(props.vpcCidr),
          ec2.Port.tcp(port),
          `OTLP to the ADOT collector (${port})`,
        );
      }
    }
  }

  /**
   * Exactly two writes: remote write to this workspace (AMP: aps:RemoteWrite on the workspace ARN)
   * and trace segments to X-Ray. The awsxray exporter calls only PutTraceSegments (its telemetry,
   * PutTelemetryRecords, is off by default; sampling rules are the SDK's): see the exporter README
   * and the AWS managed policy AWSXRayDaemonWriteAccess, whose write actions these are.
   */
  private grantWrites(workspace: PrometheusWorkspace): void {
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RemoteWriteToWorkspace',
        actions: ['aps:RemoteWrite'],
        resources: [workspace.workspace.attrArn],
      }),
    );
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PutTraceSegments',
        actions: ['xray:PutTraceSegments'],
        resources: ['*'],
      }),
    );
    Validations.of(this.serviceAccount).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments has no resource-level permissions (Service Authorization Reference, AWS X-Ray); the statement allows that one action only.',
    });
  }

  /**
   * Fargate needs a pod execution role; the collector image comes from public ECR and its logs are
   * not routed, so the role may do nothing beyond being assumed by this cluster's Fargate profiles.
   */
  private podExecutionRole(clusterName: string): iam.Role {
    return new iam.Role(this, 'PodExecutionRole', {
      description: `Fargate pod execution role for namespace ${adotCollector.namespace}`,
      assumedBy: new iam.ServicePrincipal('eks-fargate-pods.amazonaws.com', {
        conditions: {
          ArnLike: {
            'aws:SourceArn': Stack.of(this).formatArn({
              service: 'eks',
              resource: 'fargateprofile',
              resourceName: `${clusterName}/*`,
            }),
          },
        },
      }),
      maxSessionDuration: Duration.hours(1),
    });
  }
}
