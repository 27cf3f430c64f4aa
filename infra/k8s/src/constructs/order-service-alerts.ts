import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { orderService } from '../service-contract.ts';
import { orderServiceRuleGroups } from './alert-rules.ts';
import { commonLabels, namespaceName } from './labels.ts';

/** The PrometheusRule carrying the order service alerts (for clusters with the Prometheus Operator). */
export class OrderServiceAlerts extends Construct {
  constructor(scope: Construct, id: string, props: { readonly envName: string }) {
    super(scope, id);
    new ApiObject(this, 'Rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: orderService.name,
        namespace: namespaceName,
        labels: commonLabels(props.envName),
      },
      spec: { groups: orderServiceRuleGroups(props.envName) },
    });
  }
}
