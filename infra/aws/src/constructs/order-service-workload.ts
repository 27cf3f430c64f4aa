import { OrderServiceChart, type OrderServiceChartProps } from '@mallhive/infra-k8s';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { App as Cdk8sApp } from 'cdk8s';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, type IDependable } from 'constructs';
import { PlaceholderImageGuard } from './placeholder-image-guard.ts';

export interface OrderServiceWorkloadProps {
  readonly cluster: eks.Cluster;
  readonly chartProps: OrderServiceChartProps;
  /**
   * What must exist before the chart is applied: the Namespace, the IRSA service account, the
   * Fargate profile of the namespace (pods created earlier would never be scheduled) and the Load
   * Balancer Controller (its webhook injects the readiness gates; it reconciles the Ingress).
   */
  readonly applyAfter: readonly IDependable[];
}

/**
 * The order service's Kubernetes objects (infra/k8s `OrderServiceChart`), applied by CloudFormation
 * through the cluster's kubectl handler, so one `cdk deploy` ships infrastructure and workload.
 */
export class OrderServiceWorkload extends Construct {
  /** The `Custom::AWSCDK-EKS-KubernetesResource` holding the whole chart. */
  readonly manifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: OrderServiceWorkloadProps) {
    super(scope, id);
    new PlaceholderImageGuard(this, 'ImageGuard', { imageTag: props.chartProps.image.tag });
    // addCdk8sChart needs a cdk8s App as the chart's scope; it serialises the chart right away.
    const chart = new OrderServiceChart(new Cdk8sApp(), 'OrderService', props.chartProps);
    this.manifest = props.cluster.addCdk8sChart('OrderServiceChart', chart);
    this.manifest.node.addDependency(...props.applyAfter);
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
