import { OrderServiceChart, devChartProps, orderService } from '@mallhive/infra-k8s';
import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { orderServiceWorkload } from './order-service-workload.ts';

describe('the names the rollout gate looks for', () => {
  it('are those the chart gives the Deployment, its container and the Service', () => {
    const objects = new OrderServiceChart(new App(), 'names', devChartProps).toJson() as {
      kind: string;
      metadata: { name: string };
      spec?: { template?: { spec?: { containers?: { name: string }[] } } };
    }[];
    const deployment = objects.find((o) => o.kind === 'Deployment');
    expect(deployment?.metadata.name).toBe(orderServiceWorkload.deployment);
    expect(deployment?.spec?.template?.spec?.containers?.[0]?.name).toBe(
      orderServiceWorkload.container,
    );
    expect(
      objects.some((o) => o.kind === 'Service' && o.metadata.name === orderServiceWorkload.service),
    ).toBe(true);
    expect(orderService.name).toBe('order-service');
  });
});
