import { devChartProps, OrderServiceChart, prodChartProps } from '@mallhive/infra-k8s';
import { ORDER_SERVICE_PORT, PAYMENT_RESULTS_TOPIC } from '@mallhive/order-contracts';
// The one import of an app's code outside it, on purpose: the service's own validation is the judge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig } from '@mallhive/order-service/config';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';

/** Two deployables agree: what infra/k8s puts in the ConfigMap is what the service accepts. */
describe('the configuration the chart gives the order service', () => {
  it.each([
    ['dev', devChartProps],
    ['prod', prodChartProps],
  ])('is one the service accepts at start-up, in production mode (%s)', (_env, props) => {
    const config = serviceConfigFrom(props);
    expect(config.mode).toBe('production');
    expect(config.database).toMatchObject({ kind: 'secret', secretId: 'order-service/db' });
    expect(config.peers.kind).toBe('http');
    expect(config.port).toBe(ORDER_SERVICE_PORT);
    expect(config.host).toBe('0.0.0.0');
  });

  it('lets the service reach MSK with IAM and consume payment results from Kafka (prod)', () => {
    const config = serviceConfigFrom(prodChartProps);
    expect(config.events).toMatchObject({ bus: 'kafka', sasl: { mechanism: 'aws-msk-iam' } });
    expect(config.paymentResults).toEqual({
      source: 'kafka',
      topic: PAYMENT_RESULTS_TOPIC,
      groupId: 'order-service-payment-results',
    });
  });
});

/** The service's own validation of the chart's ConfigMap: it would stop start-up naming every problem. */
function serviceConfigFrom(props: typeof devChartProps) {
  const objects = Testing.synth(new OrderServiceChart(Testing.app(), 'test', props)) as {
    kind: string;
    metadata: { name: string };
    data?: Record<string, string>;
  }[];
  const configMap = objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name === 'order-service-env',
  );
  return loadConfig(configMap?.data ?? {});
}
