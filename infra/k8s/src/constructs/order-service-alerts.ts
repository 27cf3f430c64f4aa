import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { orderService } from '../service-contract.ts';
import { orderServiceAlertRules } from './alert-rules.ts';
import { commonLabels, namespaceName } from './labels.ts';

/** The PrometheusRule carrying the order service alerts. */
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
      spec: {
        groups: [
          {
            name: 'order-service',
            rules: orderServiceAlertRules.map((rule) => ({
              alert: rule.alert,
              expr: rule.expr,
              for: rule.for,
              labels: { severity: rule.severity, service: orderService.name, env: props.envName },
              annotations: {
                summary: rule.summary,
                description: rule.description,
                runbook: `docs/operations.md#${rule.alert.toLowerCase()}`,
              },
            })),
          },
        ],
      },
    });
  }
}
