import { Testing } from 'cdk8s';
import type { IConfigMap, INamespace, IService } from 'kubernetes-models/v1';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type {
  IPrometheusRule,
  IServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { devChartProps, devLogRouterProps } from '../config/dev.ts';
import { FargateLogRouterChart } from '../fargate-log-router-chart.ts';
import { OrderServiceChart } from '../order-service-chart.ts';
import type { LogRouterProps, OrderServiceChartProps } from '../order-service-chart-props.ts';
import { OrderServicePrerequisitesChart } from '../order-service-prerequisites-chart.ts';

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
}

interface KindMap {
  ConfigMap: IConfigMap;
  Namespace: INamespace;
  Service: IService;
  Deployment: IDeployment;
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
  Ingress: IIngress;
  NetworkPolicy: INetworkPolicy;
  PodDisruptionBudget: IPodDisruptionBudget;
  ServiceMonitor: IServiceMonitor;
  PrometheusRule: IPrometheusRule;
}

/** The synthesized chart, with typed lookups by kind. */
export class SynthesizedChart {
  readonly objects: readonly KubeObject[];

  constructor(objects: readonly KubeObject[]) {
    this.objects = objects;
  }

  all(kind: string): KubeObject[] {
    return this.objects.filter((object) => object.kind === kind);
  }

  one<K extends keyof KindMap>(kind: K, name?: string): KindMap[K];
  one(kind: string, name?: string): KubeObject;
  one(kind: string, name?: string): unknown {
    const matches = this.all(kind).filter((o) => name === undefined || o.metadata.name === name);
    if (matches.length !== 1) {
      throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${matches.length}`);
    }
    return matches[0];
  }
}

/** The order service's objects: its prerequisites (SecurityGroupPolicy, Namespace) and its workload. */
export function synthChart(props: OrderServiceChartProps = devChartProps): SynthesizedChart {
  const app = Testing.app();
  const charts = [
    new OrderServicePrerequisitesChart(app, 'prerequisites', props),
    new OrderServiceChart(app, 'workload', props),
  ];
  return new SynthesizedChart(charts.flatMap((chart) => Testing.synth(chart) as KubeObject[]));
}

export function synthLogRouter(props: LogRouterProps = devLogRouterProps): SynthesizedChart {
  return new SynthesizedChart(
    Testing.synth(new FargateLogRouterChart(Testing.app(), 'log-router', props)) as KubeObject[],
  );
}

/** Props as the CDK app passes them: unresolved tokens wherever CDK owns the value. */
export function propsWithCdkTokens(): OrderServiceChartProps {
  const token = (n: number) => `\${Token[TOKEN.${n}]}`;
  return {
    ...devChartProps,
    manageNamespace: false,
    image: { repositoryUri: token(1), tag: 'abc1234' },
    ingress: { ...devChartProps.ingress, certificateArn: token(2), securityGroupId: token(4) },
    podSecurityGroupIds: [token(3)],
    eventBus: { kind: 'eventbridge', busName: token(5) },
    runtime: { ...devChartProps.runtime, awsRegion: token(6) },
    serviceAccountRoleArn: token(7),
  };
}
