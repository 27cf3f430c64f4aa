import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { orderService } from '../service-contract.ts';
import { commonLabels, namespaceName, podSelectorLabels } from './labels.ts';

/**
 * Prometheus scrapes /metrics through the Service's named port. (Fargate pods expose no kubelet or
 * cAdvisor endpoint, so the app's own metrics are the pod's metrics.)
 */
export class OrderServiceServiceMonitor extends Construct {
  constructor(scope: Construct, id: string, props: { readonly envName: string }) {
    super(scope, id);
    new ApiObject(this, 'ServiceMonitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name: orderService.name,
        namespace: namespaceName,
        labels: commonLabels(props.envName),
      },
      spec: {
        selector: { matchLabels: { ...podSelectorLabels } },
        namespaceSelector: { matchNames: [namespaceName] },
        endpoints: [
          {
            port: orderService.metricsPortName,
            path: orderService.routes.metrics,
            interval: '30s',
            scrapeTimeout: '10s',
          },
        ],
      },
    });
  }
}
