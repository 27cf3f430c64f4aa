import { loadConfig } from '@mallhive/order-service/config';
import { routePaths } from '@mallhive/order-service/routes';
import { describe, expect, it } from 'vitest';
import { devChartProps } from '../config/dev.ts';
import { prodChartProps } from '../config/prod.ts';
import { synthChart } from '../testing/synth-chart.ts';

describe('order service Ingress', () => {
  const ingress = synthChart(devChartProps).one('Ingress');
  const annotations = ingress.metadata?.annotations ?? {};

  it('is served by the AWS Load Balancer Controller as an internal ALB targeting pod IPs', () => {
    expect(ingress.spec?.ingressClassName).toBe('alb');
    expect(annotations).toMatchObject({
      'alb.ingress.kubernetes.io/scheme': 'internal',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/group.name': 'mallhive',
    });
  });

  it('serves HTTPS on 443 with the ACM certificate and a TLS 1.3 policy, redirecting HTTP', () => {
    expect(JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports'] ?? '[]')).toEqual([
      { HTTP: 80 },
      { HTTPS: 443 },
    ]);
    expect(annotations['alb.ingress.kubernetes.io/ssl-redirect']).toBe('443');
    expect(annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(
      devChartProps.ingress.certificateArn,
    );
    expect(annotations['alb.ingress.kubernetes.io/ssl-policy']).toMatch(/^ELBSecurityPolicy-TLS13/);
  });

  it('health-checks the readiness route, so the ALB stops sending traffic to draining pods', () => {
    expect(annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/readyz');
    expect(annotations['alb.ingress.kubernetes.io/healthcheck-port']).toBe('traffic-port');
  });

  it('answers on the configured host only', () => {
    expect(ingress.spec?.rules?.map((rule) => rule.host)).toEqual([devChartProps.ingress.host]);
    expect(ingress.spec?.tls).toBeUndefined(); // TLS ends at the ALB with the ACM certificate
  });

  it('routes the API only (payment callback included): no probes, metrics or API docs', () => {
    const paths = ingress.spec?.rules?.flatMap((rule) => rule.http?.paths ?? []) ?? [];
    expect(paths.map(({ path, pathType }) => ({ path, pathType }))).toEqual([
      { path: routePaths.apiPrefix, pathType: 'Prefix' },
    ]);
    const routed = (url: string) => paths.some(({ path }) => url.startsWith(`${path ?? ''}/`));
    expect(routed(`${routePaths.apiPrefix}/payments/callback`)).toBe(true);
    for (const internal of [
      routePaths.health,
      routePaths.readiness,
      routePaths.metrics,
      routePaths.docs,
      routePaths.openapi,
    ]) {
      expect(routed(internal), internal).toBe(false);
    }
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
  const chart = synthChart(props);
  const annotations = chart.one('Ingress').metadata?.annotations ?? {};
  // The settings the pods really get: the chart's ConfigMap through the service's own validation.
  const http = loadConfig(chart.one('ConfigMap', 'order-service-env').data ?? {}).http;

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
