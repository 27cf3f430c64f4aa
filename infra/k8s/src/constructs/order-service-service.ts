import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { orderService } from '../service-contract.ts';
import { commonLabels, namespaceName, podSelectorLabels } from './labels.ts';

/**
 * ClusterIP Service in front of the pods; it targets the container ports by name. `metrics` is here for
 * the ServiceMonitor; the Ingress routes only `http`.
 */
export class OrderServiceService extends Construct {
  readonly serviceName = orderService.name;

  constructor(scope: Construct, id: string, props: { readonly envName: string }) {
    super(scope, id);
    new k8s.KubeService(this, 'Service', {
      metadata: {
        name: this.serviceName,
        namespace: namespaceName,
        labels: commonLabels(props.envName),
      },
      spec: {
        type: 'ClusterIP',
        selector: { ...podSelectorLabels },
        ports: [
          {
            name: orderService.portName,
            port: orderService.port,
            targetPort: k8s.IntOrString.fromString(orderService.portName),
            protocol: 'TCP',
          },
          {
            name: orderService.metricsPortName,
            port: orderService.metricsPort,
            targetPort: k8s.IntOrString.fromString(orderService.metricsPortName),
            protocol: 'TCP',
          },
        ],
      },
    });
  }
}
