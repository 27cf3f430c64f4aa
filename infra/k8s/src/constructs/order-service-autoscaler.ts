import { Duration } from 'cdk8s';
import {
  HorizontalPodAutoscaler,
  Metric,
  MetricTarget,
  Replicas,
  type Deployment,
} from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ReplicaBounds } from '../order-service-chart-props.ts';
import { orderService } from '../service-contract.ts';
import { namespaceName } from './labels.ts';

export interface OrderServiceAutoscalerProps {
  readonly deployment: Deployment;
  readonly replicas: ReplicaBounds;
}

/**
 * Scales on CPU and memory (requests equal limits, so utilisation is of the whole pod). Scale-up is
 * quick; scale-down waits five minutes so a bursty hour does not flap Fargate pods (each start costs
 * a minute).
 */
export class OrderServiceAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: OrderServiceAutoscalerProps) {
    super(scope, id);
    new HorizontalPodAutoscaler(this, 'Autoscaler', {
      metadata: { name: orderService.name, namespace: namespaceName },
      target: props.deployment,
      minReplicas: props.replicas.min,
      maxReplicas: props.replicas.max,
      metrics: [
        Metric.resourceCpu(MetricTarget.averageUtilization(70)),
        Metric.resourceMemory(MetricTarget.averageUtilization(80)),
      ],
      scaleUp: {
        stabilizationWindow: Duration.seconds(0),
        policies: [{ replicas: Replicas.percent(100), duration: Duration.minutes(1) }],
      },
      scaleDown: {
        stabilizationWindow: Duration.minutes(5),
        policies: [{ replicas: Replicas.absolute(1), duration: Duration.minutes(1) }],
      },
    });
  }
}
