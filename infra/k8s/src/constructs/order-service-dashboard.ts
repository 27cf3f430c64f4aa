import { ConfigMap } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { buildOrderServiceDashboard } from '../dashboard/order-service-dashboard.ts';
import { orderService } from '../service-contract.ts';
import { commonLabels, namespaceName } from './labels.ts';

/** The label the Grafana dashboard sidecar (kube-prometheus-stack default) watches for. */
export const grafanaDashboardLabel = { grafana_dashboard: '1' } as const;

/** Ships the generated dashboard as a ConfigMap that Grafana's sidecar loads. */
export class OrderServiceDashboard extends Construct {
  constructor(scope: Construct, id: string, props: { readonly envName: string }) {
    super(scope, id);
    new ConfigMap(this, 'Dashboard', {
      metadata: {
        name: `${orderService.name}-dashboard`,
        namespace: namespaceName,
        labels: { ...commonLabels(props.envName), ...grafanaDashboardLabel },
      },
      data: {
        'order-service.json': JSON.stringify(buildOrderServiceDashboard(props.envName)),
      },
    });
  }
}
