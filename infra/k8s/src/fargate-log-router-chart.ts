import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { FargateLogRouter } from './constructs/fargate-log-router.ts';
import type { LogRouterProps } from './order-service-chart-props.ts';

/**
 * The cluster-wide Fargate logging configuration (`aws-observability` Namespace, `aws-logging`
 * ConfigMap). It serves every Fargate pod in the cluster, so the platform applies it, not a service's
 * chart; Fargate reads it only when a pod is created, so it must exist before the pods it serves.
 */
export class FargateLogRouterChart extends Chart {
  constructor(scope: Construct, id: string, props: LogRouterProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new FargateLogRouter(this, 'LogRouter', props);
  }
}
