import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppConfigMap } from './constructs/app-config-map.ts';
import { KyvernoPolicies } from './constructs/kyverno-policies.ts';
import { OrderServiceAlerts } from './constructs/order-service-alerts.ts';
import { OrderServiceAutoscaler } from './constructs/order-service-autoscaler.ts';
import { OrderServiceDashboard } from './constructs/order-service-dashboard.ts';
import { OrderServiceDeployment } from './constructs/order-service-deployment.ts';
import { OrderServiceDisruptionBudget } from './constructs/order-service-disruption-budget.ts';
import { OrderServiceIngress } from './constructs/order-service-ingress.ts';
import { OrderServiceNetworkPolicy } from './constructs/order-service-network-policy.ts';
import { OrderServiceService } from './constructs/order-service-service.ts';
import { OrderServiceServiceMonitor } from './constructs/order-service-service-monitor.ts';
import { podLifecycleTimings } from './constructs/pod-lifecycle-timings.ts';
import type { OrderServiceChartProps } from './order-service-chart-props.ts';
import { assertValidProps } from './props-validation.ts';

/**
 * Everything that runs the order service on EKS Fargate, as a function of its props. Its pods pick up
 * their security groups and logging only when created, so this chart is applied after
 * `OrderServicePrerequisitesChart` and the cluster's `FargateLogRouterChart` (the CDK app makes that a
 * CloudFormation dependency). Deployed by the CDK app (the scope must then be a `cdk8s.App`), or
 * synthesized to plain YAML by `npx nx run infra-k8s:synth`.
 */
export class OrderServiceChart extends Chart {
  constructor(scope: Construct, id: string, props: OrderServiceChartProps) {
    // Every object sets its own namespace: cluster-scoped objects (ClusterPolicies) must not inherit one.
    super(scope, id, { disableResourceNameHashes: true });
    assertValidProps(props);
    const { envName } = props;

    const config = new AppConfigMap(this, 'Config', { chartProps: props });
    const { deployment } = new OrderServiceDeployment(this, 'Workload', {
      chartProps: props,
      configMap: config.configMap,
    });
    const service = new OrderServiceService(this, 'Service', { envName });
    new OrderServiceIngress(this, 'Ingress', {
      envName,
      ingress: props.ingress,
      serviceName: service.serviceName,
      albDeregistrationDelaySeconds: podLifecycleTimings(props.runtime.shutdownTimeoutMs)
        .albDeregistrationDelaySeconds,
    });
    new OrderServiceAutoscaler(this, 'Autoscaler', { deployment, replicas: props.replicas });
    new OrderServiceDisruptionBudget(this, 'DisruptionBudget', { envName });

    new OrderServiceNetworkPolicy(this, 'NetworkPolicy', {
      network: props.network,
      usesKafka: props.eventBus.kind === 'kafka',
      tracesToCollector: props.tracing !== undefined,
    });

    if (props.addons.prometheusOperator) {
      new OrderServiceServiceMonitor(this, 'Metrics', { envName });
      new OrderServiceAlerts(this, 'Alerts', { envName });
    }
    if (props.addons.grafanaDashboardSidecar)
      new OrderServiceDashboard(this, 'Dashboard', { envName });
    if (props.addons.kyverno) new KyvernoPolicies(this, 'Policies', { envName });
  }
}
