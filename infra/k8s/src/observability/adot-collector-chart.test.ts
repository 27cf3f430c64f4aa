import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exampleCollectorChartProps } from '../config/collector.ts';
import { validateManifests } from '../validation/validate-manifests.ts';
import { AdotCollectorChart, type AdotCollectorChartProps } from './adot-collector-chart.ts';
import { adotCollector } from './collector-contract.ts';
import { metricsPortName } from './order-platform-collector-config.ts';
import { orderService } from '../service-contract.ts';

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  [key: string]: unknown;
}

function synth(props: AdotCollectorChartProps = exampleCollectorChartProps('dev')): Obj[] {
  return Testing.synth(new AdotCollectorChart(Testing.app(), 'collector', props)) as Obj[];
}
const one = (objects: Obj[], kind: string, namespace?: string) => {
  const found = objects.filter(
    (o) => o.kind === kind && (!namespace || o.metadata.namespace === namespace),
  );
  expect(found).toHaveLength(1);
  return found[0] as Obj & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('ADOT collector chart', () => {
  const objects = synth();

  it('passes the Kubernetes schemas', () => {
    expect(validateManifests(objects)).toEqual([]);
  });

  it('runs one collector (more would scrape every target twice) with the IRSA account CDK creates', () => {
    const deployment = one(objects, 'Deployment');
    expect(deployment.metadata).toMatchObject({
      name: 'adot-collector',
      namespace: 'observability',
    });
    expect(deployment.spec.replicas).toBe(1);
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe(adotCollector.serviceAccountName);
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(objects.some((o) => o.kind === 'ServiceAccount')).toBe(false);
    const [container] = pod.containers;
    expect(container.image).toMatch(
      /^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/,
    );
    expect(container.resources.requests).toEqual(container.resources.limits);
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
  });

  it('exposes OTLP on adot-collector.observability:4317 (gRPC) and :4318 (HTTP)', () => {
    const service = one(objects, 'Service');
    expect(service.metadata).toMatchObject({ name: 'adot-collector', namespace: 'observability' });
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toEqual([4317, 4318]);
  });

  it('mounts the validated configuration, and a changed configuration rolls the pod', () => {
    const props = exampleCollectorChartProps('dev');
    const config = one(objects, 'ConfigMap');
    expect(parse(config.data['collector.yaml'])).toEqual(JSON.parse(JSON.stringify(props.config)));
    const hashOf = (objs: Obj[]) =>
      one(objs, 'Deployment').spec.template.metadata.annotations['mallhive.com/config-hash'];
    const other = synth({ ...props, config: exampleCollectorChartProps('prod').config });
    expect(hashOf(other)).not.toBe(hashOf(objects));
  });

  it('scrapes the order service by the Service port named by metricsPortName', () => {
    const config = parse(one(objects, 'ConfigMap').data['collector.yaml']);
    const job = config.receivers.prometheus.config.scrape_configs.find(
      (j: { job_name: string }) => j.job_name === 'order-service',
    );
    expect(job.kubernetes_sd_configs).toEqual([
      { role: 'endpointslice', namespaces: { names: ['order-service'] } },
    ]);
    expect(job.relabel_configs[0]).toEqual({
      action: 'keep',
      source_labels: [
        '__meta_kubernetes_service_name',
        '__meta_kubernetes_endpointslice_port_name',
      ],
      regex: `order-service;${metricsPortName}`,
    });
    // /metrics has a port of its own, which the Ingress does not route.
    expect(metricsPortName).toBe(orderService.metricsPortName);
  });

  it('reads Fargate pod CPU and memory through the API server proxy (ADOT "Container Insights EKS Fargate")', () => {
    const config = parse(one(objects, 'ConfigMap').data['collector.yaml']);
    const job = config.receivers.prometheus.config.scrape_configs.find(
      (j: { job_name: string }) => j.job_name === 'fargate-cadvisor',
    );
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'node' }]);
    expect(job.relabel_configs).toContainEqual({
      target_label: '__address__',
      replacement: 'kubernetes.default.svc:443',
    });
    expect(job.relabel_configs).toContainEqual(
      expect.objectContaining({
        target_label: '__metrics_path__',
        replacement: '/api/v1/nodes/$${1}/proxy/metrics/cadvisor',
      }),
    );
    expect(job.metric_relabel_configs[0].regex).toMatch(/container_cpu_usage_seconds_total/);
    expect(job.metric_relabel_configs[0].regex).toMatch(/container_memory_working_set_bytes/);
  });

  it('may only list and watch nodes and proxy to them cluster-wide (cAdvisor), nothing else', () => {
    const role = one(objects, 'ClusterRole');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
    ]);
    const binding = one(objects, 'ClusterRoleBinding');
    expect(binding.roleRef).toMatchObject({ kind: 'ClusterRole', name: role.metadata.name });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'adot-collector', namespace: 'observability' },
    ]);
  });

  it('may only list and watch Services, Pods and EndpointSlices, and only in the order-service namespace', () => {
    const role = one(objects, 'Role', 'order-service');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['services', 'pods'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]);
    expect(objects.filter((o) => o.kind === 'Role')).toHaveLength(1);
    const binding = one(objects, 'RoleBinding', 'order-service');
    expect(binding.roleRef).toMatchObject({ kind: 'Role', name: role.metadata.name });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'adot-collector', namespace: 'observability' },
    ]);
    const verbs = objects
      .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
      .flatMap((o) => (o['rules'] as { verbs: string[] }[]).flatMap((rule) => rule.verbs));
    expect(new Set(verbs)).toEqual(new Set(['get', 'list', 'watch']));
  });

  it('refuses to synthesize a configuration the collector would reject', () => {
    const props = exampleCollectorChartProps('dev');
    const config = {
      ...props.config,
      service: {
        ...props.config.service,
        pipelines: { traces: { receivers: ['otlp'], exporters: ['awsxray', 'zipkin'] } },
      },
    } as unknown as AdotCollectorChartProps['config'];
    expect(() => synth({ ...props, config })).toThrow(/Invalid collector configuration/);
  });
});
