import { devChartProps, OrderServiceChart, prodChartProps } from '@mallhive/infra-k8s';
import {
  ORDER_SERVICE_METRICS_PORT,
  ORDER_SERVICE_PORT,
  PAYMENT_RESULTS_TOPIC,
} from '@mallhive/order-contracts';
// The one import of an app's code outside it, on purpose: the service's own validation is the judge.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig } from '@mallhive/order-service/config';
import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';

interface SynthesizedObject {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

const synth = (props: typeof devChartProps) =>
  Testing.synth(new OrderServiceChart(Testing.app(), 'test', props)) as SynthesizedObject[];
const configMapOf = (objects: SynthesizedObject[]) =>
  objects.find(
    (object) => object.kind === 'ConfigMap' && object.metadata.name === 'order-service-env',
  )?.data ?? {};

/** Two deployables agree: what infra/k8s puts in the ConfigMap is what the service accepts. */
describe('the configuration the chart gives the order service', () => {
  it.each([
    ['dev', devChartProps],
    ['prod', prodChartProps],
  ])('is one the service accepts at start-up, in production mode (%s)', (_env, props) => {
    const config = loadConfig(configMapOf(synth(props)));
    expect(config.mode).toBe('production');
    expect(config.database).toMatchObject({ kind: 'secret', secretId: 'order-service/db' });
    expect(config.peers.kind).toBe('http');
    expect(config.port).toBe(ORDER_SERVICE_PORT);
    expect(config.metricsPort).toBe(ORDER_SERVICE_METRICS_PORT);
    expect(config.host).toBe('0.0.0.0');
    expect(config.identity).toMatchObject({
      kind: 'issuer',
      issuer: props.auth.issuer,
      jwksUrl: props.auth.jwksUrl,
      allowedClientIds: props.auth.allowedClientIds,
    });
  });

  it('lets the service reach MSK with IAM and consume payment results from Kafka (prod)', () => {
    const config = loadConfig(configMapOf(synth(prodChartProps)));
    expect(config.events).toMatchObject({ bus: 'kafka', sasl: { mechanism: 'aws-msk-iam' } });
    expect(config.paymentResults).toEqual({
      source: 'kafka',
      topic: PAYMENT_RESULTS_TOPIC,
      groupId: 'order-service-payment-results',
    });
  });
});

// "Edit attributes for your Application Load Balancer" (Elastic Load Balancing, Application Load
// Balancers guide): the connection idle timeout is 60 seconds by default, and AWS recommends an
// application idle (keep-alive) timeout larger than the load balancer's — otherwise the ALB may send a
// request on a connection the target has just closed, and answer the client 502.
const ALB_DEFAULT_IDLE_TIMEOUT_MS = 60_000;

describe.each([
  ['dev', devChartProps],
  ['prod', prodChartProps],
])('the service’s HTTP timeouts against the ALB (%s)', (_env, props) => {
  const objects = synth(props);
  const annotations =
    objects.find((object) => object.kind === 'Ingress')?.metadata.annotations ?? {};
  // The settings the pods really get: the chart's ConfigMap through the service's own validation.
  const http = loadConfig(configMapOf(objects)).http;

  it('leave the ALB idle timeout at its 60 s default', () => {
    expect(annotations['alb.ingress.kubernetes.io/load-balancer-attributes'] ?? '').not.toContain(
      'idle_timeout',
    );
  });

  it('keep idle connections open longer than the ALB does, so the ALB closes them first', () => {
    expect(http.keepAliveTimeoutMs).toBeGreaterThan(ALB_DEFAULT_IDLE_TIMEOUT_MS);
  });

  it('cut off a stalled request before the ALB’s idle timeout would, so the caller gets a clear 408', () => {
    expect(http.requestTimeoutMs).toBeLessThan(ALB_DEFAULT_IDLE_TIMEOUT_MS);
    expect(http.headersTimeoutMs).toBeLessThanOrEqual(http.requestTimeoutMs);
  });

  it('serve no API docs in production', () => {
    expect(http.apiDocs).toBe(false);
  });
});
