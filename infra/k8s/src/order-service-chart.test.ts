import { describe, expect, it } from 'vitest';
import {
  ORDER_SERVICE_METRICS_PORT,
  ORDER_SERVICE_PORT,
  routePaths,
} from '@mallhive/order-contracts';
import type { IContainer } from 'kubernetes-models/v1';
import { devChartProps } from './config/dev.ts';
import { prodChartProps } from './config/prod.ts';
import { orderServiceNamespaceLabels } from './constructs/order-service-namespace.ts';
import { orderService } from './service-contract.ts';
import { propsWithCdkTokens, synthChart, type SynthesizedChart } from './testing/synth-chart.ts';
import { validateManifests } from './validation/validate-manifests.ts';

// The routes and port the service itself declares: the chart must match them.
const serviceRoutes = routePaths;

function orderServiceContainer(chart: SynthesizedChart): IContainer {
  const containers = chart.one('Deployment').spec?.template.spec?.containers ?? [];
  expect(containers).toHaveLength(1);
  return containers[0]!;
}

function podLabels(chart: SynthesizedChart): Record<string, string> {
  return chart.one('Deployment').spec?.template.metadata?.labels ?? {};
}

describe.each([
  ['dev', devChartProps],
  ['prod', prodChartProps],
])('OrderServiceChart (%s config)', (_env, props) => {
  const chart = synthChart(props);

  it('emits only objects that validate against their schemas', () => {
    expect(validateManifests(chart.objects)).toEqual([]);
  });

  it('selects its own pods everywhere a selector is used', () => {
    const labels = podLabels(chart);
    const selectors = {
      deployment: chart.one('Deployment').spec?.selector.matchLabels,
      service: chart.one('Service').spec?.selector,
      disruptionBudget: chart.one('PodDisruptionBudget').spec?.selector?.matchLabels,
      networkPolicy: chart.one('NetworkPolicy').spec?.podSelector?.matchLabels,
      securityGroupPolicy: (
        chart.one('SecurityGroupPolicy').spec as { podSelector: { matchLabels: object } }
      ).podSelector.matchLabels,
    };
    for (const [user, selector] of Object.entries(selectors)) {
      expect(selector, user).toBeDefined();
      expect(labels, user).toMatchObject(selector ?? {});
    }
  });

  it('routes Service, Ingress and probes to the http port, and the scraper alone to the metrics port', () => {
    const container = orderServiceContainer(chart);
    expect(container.ports).toEqual([
      { name: 'http', containerPort: ORDER_SERVICE_PORT },
      { name: 'metrics', containerPort: ORDER_SERVICE_METRICS_PORT },
    ]);

    const service = chart.one('Service');
    expect(service.spec?.ports).toEqual([
      { name: 'http', port: 4200, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' },
    ]);
    // Every Ingress path goes to the http port: /metrics is not reachable through the ALB.
    const backends = (chart.one('Ingress').spec?.rules ?? []).flatMap(
      (rule) => rule.http?.paths.map((path) => path.backend.service) ?? [],
    );
    expect(backends).toEqual([{ name: service.metadata?.name, port: { name: 'http' } }]);

    for (const probe of [
      container.startupProbe,
      container.readinessProbe,
      container.livenessProbe,
    ]) {
      expect(probe?.httpGet?.port).toBe('http');
    }
    expect(chart.one('ServiceMonitor').spec.endpoints?.[0]).toMatchObject({
      port: 'metrics',
      path: serviceRoutes.metrics,
    });
  });

  it('probes the routes the service serves: liveness /healthz, readiness /readyz', () => {
    const container = orderServiceContainer(chart);
    expect(container.startupProbe?.httpGet?.path).toBe(serviceRoutes.health);
    expect(container.livenessProbe?.httpGet?.path).toBe(serviceRoutes.health);
    expect(container.readinessProbe?.httpGet?.path).toBe(serviceRoutes.readiness);
  });

  it('gives the service 60 s to start before liveness can restart it', () => {
    const startup = orderServiceContainer(chart).startupProbe;
    expect((startup?.periodSeconds ?? 0) * (startup?.failureThreshold ?? 0)).toBeGreaterThanOrEqual(
      60,
    );
  });

  it('requests exactly what it limits (Fargate sizes the pod from it)', () => {
    const { requests, limits } = orderServiceContainer(chart).resources ?? {};
    expect(requests).toEqual(limits);
    expect(requests).toEqual({
      cpu: `${props.resources.cpuMillis}m`,
      memory: `${props.resources.memoryMebibytes}Mi`,
    });
  });

  it('runs as the image user 10001 with the restricted security context', () => {
    const pod = chart.one('Deployment').spec?.template.spec;
    expect(pod?.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: orderService.uid,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(orderServiceContainer(chart).securityContext).toMatchObject({
      runAsUser: 10001,
      runAsGroup: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(orderServiceContainer(chart).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod?.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '256Mi' } }]);
  });

  it('drains before it stops: preStop pause, then SIGTERM, all within the grace period', () => {
    const pod = chart.one('Deployment').spec?.template.spec;
    const preStop = orderServiceContainer(chart).lifecycle?.preStop?.exec?.command ?? [];
    expect(preStop[0]).toBe('sleep');
    const pauseSeconds = Number(preStop[1]);
    expect(pauseSeconds).toBeGreaterThanOrEqual(10);
    const drainSeconds = props.runtime.shutdownTimeoutMs / 1000;
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan(pauseSeconds + drainSeconds);
  });

  it('rolls out without ever dropping below the desired count', () => {
    const strategy = chart.one('Deployment').spec?.strategy;
    expect(strategy?.type).toBe('RollingUpdate');
    expect(strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  });

  // AWS, "Define which Pods use AWS Fargate when launched": "Fargate does not currently support
  // Kubernetes topologySpreadConstraints"; a constraint would only claim a spread nothing enforces.
  it('claims no zone spread that Fargate would ignore', () => {
    expect(chart.one('Deployment').spec?.template.spec?.topologySpreadConstraints).toBeUndefined();
  });

  it('pins the image to the configured immutable tag', () => {
    const image = orderServiceContainer(chart).image ?? '';
    expect(image).toBe(`${props.image.repositoryUri}:${props.image.tag}`);
    expect(image).not.toMatch(/:latest$/);
  });

  it('runs the image by digest when one is given, so every environment runs the same bytes', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const byDigest = synthChart({ ...props, image: { ...props.image, digest } });
    expect(orderServiceContainer(byDigest).image).toBe(`${props.image.repositoryUri}@${digest}`);
  });

  it('keeps secrets out of Kubernetes: no Secret objects, only Secrets Manager ids', () => {
    expect(chart.all('Secret')).toEqual([]);
    const env = chart.one('ConfigMap', 'order-service-env').data ?? {};
    expect(Object.keys(env).filter((key) => /PASSWORD|TOKEN|API_KEY|PRIVATE/.test(key))).toEqual(
      [],
    );
    expect(env['DB_SECRET_ID']).toBe('order-service/db');
    const secretLooking = [
      /AKIA[0-9A-Z]{16}/, // AWS access key id
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      /:\/\/[^/\s:@]+:[^/\s@]+@/, // credentials in a URL
      /(password|passwd|secret|api[_-]?key)\s*[=:]\s*\S+/i,
    ];
    const text = JSON.stringify(chart.objects);
    for (const pattern of secretLooking) expect(text).not.toMatch(pattern);
  });

  it('uses the IRSA service account made by CDK without redefining it', () => {
    const pod = chart.one('Deployment').spec?.template.spec;
    expect(chart.all('ServiceAccount')).toEqual([]);
    // The CDK role trusts exactly this subject (addServiceAccount in infra/aws).
    const subject = `system:serviceaccount:${chart.one('Deployment').metadata?.namespace}:${pod?.serviceAccountName}`;
    expect(subject).toBe('system:serviceaccount:order-service:order-service');
  });

  // Amazon EKS User Guide, "IAM roles for service accounts" and "Configure Pods to use a Kubernetes
  // service account": the Amazon EKS Pod Identity Webhook watches for Pods whose service account carries
  // `eks.amazonaws.com/role-arn` and gives them AWS_ROLE_ARN, AWS_WEB_IDENTITY_TOKEN_FILE
  // (/var/run/secrets/eks.amazonaws.com/serviceaccount/token) and that token file's mount; the kubelet
  // requests and refreshes the token. The webhook (aws/amazon-eks-pod-identity-webhook,
  // pkg/handler/handler.go) adds its own projected volume `aws-iam-token` (audience sts.amazonaws.com)
  // whatever automountServiceAccountToken says, and skips a pod or container that already has that
  // volume or those variables. So the pod can refuse the Kubernetes API token and still get IRSA's.
  it('mounts no Kubernetes API token, and leaves room for IRSA’s web-identity token', () => {
    const pod = chart.one('Deployment').spec?.template.spec;
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.serviceAccountName).toBe(props.serviceAccountName);
    expect(pod?.volumes?.map((volume) => volume.name)).not.toContain('aws-iam-token');
    const container = orderServiceContainer(chart);
    expect(container.volumeMounts?.map((mount) => mount.mountPath)).not.toContain(
      '/var/run/secrets/eks.amazonaws.com/serviceaccount',
    );
    const env = chart.one('ConfigMap', 'order-service-env').data ?? {};
    for (const variable of ['AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE']) {
      expect(env, variable).not.toHaveProperty(variable);
      expect(container.env?.map((entry) => entry.name) ?? [], variable).not.toContain(variable);
    }
  });

  it('puts every namespaced object in order-service', () => {
    const clusterScoped = new Set(['Namespace', 'ClusterPolicy']);
    for (const object of chart.objects) {
      if (clusterScoped.has(object.kind)) {
        expect(object.metadata.namespace, object.kind).toBeUndefined();
      } else {
        expect(object.metadata.namespace, `${object.kind}/${object.metadata.name}`).toBe(
          'order-service',
        );
      }
    }
  });

  it('enforces Pod Security Admission restricted and the ALB readiness gate on its Namespace', () => {
    expect(chart.one('Namespace', 'order-service').metadata?.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
    });
  });
});

describe('OrderServiceChart inside the CDK app', () => {
  const chart = synthChart(propsWithCdkTokens());

  it('leaves the Namespace to CDK when manageNamespace is off', () => {
    expect(chart.all('Namespace')).toEqual([]);
    expect(orderServiceNamespaceLabels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  it('accepts CDK tokens for the values CDK owns and passes them through untouched', () => {
    expect(orderServiceContainer(chart).image).toBe('${Token[TOKEN.1]}:abc1234');
    expect(
      chart.one('Ingress').metadata?.annotations?.['alb.ingress.kubernetes.io/certificate-arn'],
    ).toBe('${Token[TOKEN.2]}');
    expect(chart.one('SecurityGroupPolicy').spec).toMatchObject({
      securityGroups: { groupIds: ['${Token[TOKEN.3]}'] },
    });
  });

  it('emits custom resources only for the operators the cluster has', () => {
    const bare = synthChart({
      ...devChartProps,
      addons: { prometheusOperator: false, kyverno: false, grafanaDashboardSidecar: false },
    });
    const kinds = new Set(bare.objects.map((o) => o.kind));
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'ClusterPolicy']) {
      expect(kinds.has(kind), kind).toBe(false);
    }
    expect(bare.all('ConfigMap').map((c) => c.metadata.name)).toEqual(['order-service-env']);
  });
});
