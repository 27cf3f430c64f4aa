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
  /**
   * Security groups of the pods the collector serves: they send it traces (OTLP) and it scrapes
   * their /metrics on `scrapePort`.
   */
  readonly servicePods: readonly ec2.SecurityGroup[];
  /** The order-service Namespace: the collector's discovery Role lives in it. */
  readonly serviceNamespace: IDependable;
  /** Port the collector scrapes the order-service pods on. */
  readonly scrapePort: number;
}

/**
 * The ADOT collector on Fargate: its own namespace and Fargate profile, an IRSA role that may only
 * remote-write to the one AMP workspace and put trace segments to X-Ray, and the infra/k8s
 * AdotCollectorChart applied after all of them.
 */
export class AdotCollector extends Construct {
  readonly serviceAccount: eks.ServiceAccount;
  readonly manifest: eks.KubernetesManifest;
  /** The collector pods' only security group (it carries the control-plane rules Fargate needs). */
  readonly securityGroup: ec2.SecurityGroup;
  /** The SecurityGroupPolicy that attaches it, applied before the collector chart. */
  readonly securityGroupPolicy: eks.KubernetesManifest;

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

    this.securityGroup = this.collectorSecurityGroup(props);
    this.securityGroupPolicy = this.attachSecurityGroups(props.cluster, namespaceManifest);

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
      // Fargate attaches a pod's security groups only when the pod is created.
      this.securityGroupPolicy,
    );

    for (const pods of props.servicePods) {
      for (const port of [adotCollector.ports.otlpHttp, adotCollector.ports.otlpGrpc]) {
        pods.addEgressRule(
          this.securityGroup,
          ec2.Port.tcp(port),
          `OTLP to the ADOT collector (${port})`,
        );
      }
      this.securityGroup.connections.allowTo(
        pods,
        ec2.Port.tcp(props.scrapePort),
        'Scrape /metrics of the order-service pods',
      );
    }
  }

  /**
   * The collector pods' only security group, attached by a SecurityGroupPolicy applied before the
   * collector's pods exist. As for the order-service pods (pod-security-group.ts), the EKS cluster
   * group is not attached: it admits all traffic from its members. So this group carries what AWS
   * requires of a Fargate pod's groups (control plane and CoreDNS reachable) and otherwise exactly
   * the collector table in docs/infrastructure.md; the scrape of the service pods is added per pod group.
   */
  private collectorSecurityGroup(props: AdotCollectorProps): ec2.SecurityGroup {
    const vpcCidr = ec2.Peer.ipv4(props.vpcCidr);
    const controlPlane = props.cluster.clusterSecurityGroup;
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'ADOT collector pods (security groups for pods)',
      allowAllOutbound: false,
    });
    for (const port of [adotCollector.ports.otlpGrpc, adotCollector.ports.otlpHttp]) {
      sg.addIngressRule(vpcCidr, ec2.Port.tcp(port), `OTLP from pods in the VPC (${port})`);
    }
    const collector = sg.connections;
    // Kubelet API: the control plane (logs, exec) calls it.
    collector.allowFrom(controlPlane, ec2.Port.tcp(10250), 'kubelet from the control plane');
    // CoreDNS runs on Fargate with the cluster group.
    collector.allowTo(controlPlane, ec2.Port.udp(53), 'DNS to CoreDNS');
    collector.allowTo(controlPlane, ec2.Port.tcp(53), 'DNS over TCP to CoreDNS');
    // AMP, X-Ray and STS have no endpoint in this VPC and the image is on public ECR: through NAT.
    sg.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the Kubernetes API, AMP, X-Ray, STS and public ECR',
    );
    // The API server's private endpoint interfaces carry the cluster group: it must admit us back.
    controlPlane.addIngressRule(sg, ec2.Port.tcp(443), 'ADOT collector pods to the Kubernetes API');
    return sg;
  }

  /** The SecurityGroupPolicy, a manifest of its own so the collector's pods are created after it. */
  private attachSecurityGroups(
    cluster: eks.Cluster,
    namespaceManifest: eks.KubernetesManifest,
  ): eks.KubernetesManifest {
    const policy = cluster.addManifest('AdotCollectorSecurityGroups', {
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: { name: adotCollector.name, namespace: adotCollector.namespace },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': adotCollector.name } },
        securityGroups: {
          groupIds: [this.securityGroup.securityGroupId],
        },
      },
    });
    policy.node.addDependency(namespaceManifest);
    return policy;
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
