import { loadConfig } from '@mallhive/order-service/config';
import { describe, expect, it } from 'vitest';
import { devChartProps } from './config/dev.ts';
import { prodChartProps } from './config/prod.ts';
import { synthChart } from './testing/synth-chart.ts';

describe('the configuration the chart gives the order service', () => {
  it.each([
    ['dev', devChartProps],
    ['prod', prodChartProps],
  ])('is one the service accepts at start-up, in production mode (%s)', (_env, props) => {
    const env = synthChart(props).one('ConfigMap', 'order-service-env').data ?? {};
    // The service's own validation: it would stop start-up naming every missing or bad variable.
    const config = loadConfig(env);
    expect(config.mode).toBe('production');
    expect(config.database).toMatchObject({ kind: 'secret', secretId: 'order-service/db' });
    expect(config.peers.kind).toBe('http');
    expect(config.port).toBe(4200);
    expect(config.host).toBe('0.0.0.0');
  });

  it('lets the service reach MSK with IAM and consume payment results from Kafka (prod)', () => {
    const env = synthChart(prodChartProps).one('ConfigMap', 'order-service-env').data ?? {};
    const config = loadConfig(env);
    expect(config.events).toMatchObject({ bus: 'kafka', sasl: { mechanism: 'aws-msk-iam' } });
    expect(config.paymentResults).toEqual({
      source: 'kafka',
      topic: 'mallhive.payments.results.v1',
      groupId: 'order-service-payment-results',
    });
  });
});
