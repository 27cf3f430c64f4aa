import { PAYMENT_RESULTS_TOPIC } from '@mallhive/order-contracts';
import { describe, expect, it } from 'vitest';
import { devChartProps } from '../config/dev.ts';
import { prodChartProps } from '../config/prod.ts';
import { synthChart } from '../testing/synth-chart.ts';

describe('tracing settings in the chart ConfigMap', () => {
  const env = (props = devChartProps) =>
    synthChart(props).one('ConfigMap', 'order-service-env').data ?? {};

  it('points the OpenTelemetry SDK at the collector with standard OTEL_* variables', () => {
    expect(env()).toMatchObject({
      OTEL_SERVICE_NAME: 'order-service',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://adot-collector.observability.svc.cluster.local:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    expect(env(prodChartProps)['OTEL_TRACES_SAMPLER_ARG']).toBe('0.1');
    expect(env()['OTEL_RESOURCE_ATTRIBUTES']).toContain('deployment.environment.name=dev');
  });

  it('sets no OTEL_* variable when tracing is off (the SDK then exports nothing)', () => {
    const keys = Object.keys(env({ ...devChartProps, tracing: undefined }));
    expect(keys.filter((key) => key.startsWith('OTEL_'))).toEqual([]);
  });

  it('refuses a sample ratio outside 0..1', () => {
    expect(() =>
      synthChart({ ...devChartProps, tracing: { otlpEndpoint: 'http://c:4318', sampleRatio: 10 } }),
    ).toThrow(/tracing\.sampleRatio 10/);
  });
});

describe('Kafka settings in the chart ConfigMap', () => {
  const env = (props = prodChartProps) =>
    synthChart(props).one('ConfigMap', 'order-service-env').data ?? {};

  it('lets the service reach MSK with IAM and consume payment results from Kafka (prod)', () => {
    expect(env()).toMatchObject({
      EVENT_BUS: 'kafka',
      KAFKA_SASL: 'aws-msk-iam',
      PAYMENT_RESULTS: 'kafka',
      PAYMENT_RESULTS_TOPIC: PAYMENT_RESULTS_TOPIC,
      PAYMENT_RESULTS_GROUP_ID: 'order-service-payment-results',
    });
  });

  it('sets no Kafka variable when the bus is EventBridge (dev)', () => {
    const keys = Object.keys(env(devChartProps));
    expect(
      keys.filter((key) => key.startsWith('KAFKA_') || key.startsWith('PAYMENT_RESULTS')),
    ).toEqual([]);
  });
});
