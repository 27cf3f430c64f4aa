import { routePaths } from '@mallhive/order-contracts';
import { describe, expect, it } from 'vitest';
import { devChartProps } from '../config/dev.ts';
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

  // The platform's ALB group is the only source the pods' security group admits; a controller-made
  // group would not be (AWS Load Balancer Controller, "Security Groups for Load Balancers": with the
  // security-groups annotation the controller creates no frontend group and, unless told to, adds no
  // backend rules).
  it('puts the ALB behind the platform security group and lets the controller add no rules', () => {
    expect(annotations).toMatchObject({
      'alb.ingress.kubernetes.io/security-groups': devChartProps.ingress.securityGroupId,
      'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'false',
    });
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

describe('order service ALB name and access logs', () => {
  const annotations = synthChart(devChartProps).one('Ingress').metadata?.annotations ?? {};

  it('names the ALB, so CDK can find the load balancer the controller creates', () => {
    expect(annotations['alb.ingress.kubernetes.io/load-balancer-name']).toBe('mallhive-dev');
  });

  it('turns on access logs to the configured bucket and prefix', () => {
    expect(annotations['alb.ingress.kubernetes.io/load-balancer-attributes']).toBe(
      `access_logs.s3.enabled=true,access_logs.s3.bucket=${devChartProps.ingress.accessLogs?.bucketName},access_logs.s3.prefix=mallhive`,
    );
  });

  it('leaves access logs off when no bucket is given', () => {
    const ingress = { ...devChartProps.ingress, accessLogs: undefined };
    const other =
      synthChart({ ...devChartProps, ingress }).one('Ingress').metadata?.annotations ?? {};
    expect(other['alb.ingress.kubernetes.io/load-balancer-attributes']).toBeUndefined();
  });

  it.each(['internal-mallhive', 'mallhive_dev', '-mallhive', 'a'.repeat(33)])(
    'refuses %s as an ALB name',
    (name) => {
      expect(() =>
        synthChart({
          ...devChartProps,
          ingress: { ...devChartProps.ingress, loadBalancerName: name },
        }),
      ).toThrow(/ingress\.loadBalancerName/);
    },
  );
});
