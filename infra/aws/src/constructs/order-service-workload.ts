import {
  OrderServiceChart,
  OrderServicePrerequisitesChart,
  type OrderServiceChartProps,
} from '@mallhive/infra-k8s';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { App as Cdk8sApp } from 'cdk8s';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, type IDependable } from 'constructs';
import { PlaceholderImageGuard } from './placeholder-image-guard.ts';

export interface OrderServiceWorkloadProps {
  readonly cluster: eks.Cluster;
  readonly chartProps: OrderServiceChartProps;
  /**
   * What must exist before anything of the service is applied: the Namespace, the IRSA service
   * account, the Fargate profile of the namespace (pods created earlier would never be scheduled) and
   * the Load Balancer Controller (its webhook injects the readiness gates; it reconciles the Ingress).
   */
  readonly applyAfter: readonly IDependable[];
  /**
   * What Fargate reads only when a pod is created and must therefore exist before the first pod,
   * besides the SecurityGroupPolicy this construct applies itself: the cluster's logging config.
   */
  readonly podsAfter: readonly IDependable[];
}

/**
 * The order service's Kubernetes objects (infra/k8s), applied by CloudFormation through the cluster's
 * kubectl handler, so one `cdk deploy` ships infrastructure and workload. Two manifest resources:
 * the prerequisites (SecurityGroupPolicy) and the workload, which depends on them in CloudFormation,
 * so no pod is ever created before the security groups and logging it must start with.
 */
export class OrderServiceWorkload extends Construct {
  /** The `Custom::AWSCDK-EKS-KubernetesResource` holding the SecurityGroupPolicy. */
  readonly prerequisites: eks.KubernetesManifest;
  /** The `Custom::AWSCDK-EKS-KubernetesResource` holding the workload (Deployment, Service, ...). */
  readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: OrderServiceWorkloadProps) {
    super(scope, id);
    new PlaceholderImageGuard(this, 'ImageGuard', { imageTag: props.chartProps.image.tag });
    // The charts' scope must be a cdk8s App; each is serialised into its manifest right away.
    const app = new Cdk8sApp();
    this.prerequisites = new eks.KubernetesManifest(this, 'Prerequisites', {
      cluster: props.cluster,
      manifest: new OrderServicePrerequisitesChart(app, 'Prerequisites', props.chartProps).toJson(),
      // `kubectl apply`: a policy left by an earlier release of the chart is taken over, not refused.
      overwrite: true,
    });
    this.prerequisites.node.addDependency(...props.applyAfter);
    this.manifest = props.cluster.addCdk8sChart(
      'OrderServiceChart',
      new OrderServiceChart(app, 'OrderService', props.chartProps),
    );
    this.manifest.node.addDependency(this.prerequisites, ...props.podsAfter, ...props.applyAfter);
    const { digest } = props.chartProps.image;
    if (digest) {
      // Beside DeployedImageTag: the deploy pipeline reads it to roll back to the previous image.
      new CfnOutput(Stack.of(this), 'DeployedImageDigest', {
        value: digest,
        description: 'Digest of the image the order-service Deployment runs (repository@digest)',
      });
    }
  }
}
