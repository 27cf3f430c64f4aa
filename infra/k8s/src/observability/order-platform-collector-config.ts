import { orderService } from '../service-contract.ts';
import { adotCollector } from './collector-contract.ts';
import type { CollectorConfig } from './collector-config.ts';

/** The Service port Prometheus scrapes `/metrics` on, by name: its own, apart from the API's. */
export const metricsPortName: string = orderService.metricsPortName;

/** The job label of the order service's series (the Prometheus Operator would name it after the Service too). */
export const orderServiceScrapeJob = orderService.name;

const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Fargate pod CPU and memory that dashboards and sizing need; everything else cAdvisor has is dropped. */
const keptCadvisorMetrics = [
  'container_cpu_usage_seconds_total',
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'container_memory_working_set_bytes',
  'container_spec_cpu_quota',
  'container_spec_memory_limit_bytes',
  'container_network_receive_bytes_total',
  'container_network_transmit_bytes_total',
];

export interface PlatformCollectorProps {
  readonly region: string;
  /** The AMP workspace's remote-write URL (`<prometheus endpoint>api/v1/remote_write`). */
  readonly remoteWriteUrl: string;
  /** Added to every series, so one workspace could serve several clusters. */
  readonly clusterName: string;
  /** Namespaces whose Fargate pods' CPU and memory are kept (the order service's, the collector's). */
  readonly podMetricsNamespaces: readonly string[];
  /** CloudWatch log groups X-Ray links each trace to (trace → logs in the X-Ray console). */
  readonly traceLogGroupNames: readonly string[];
}

const memoryLimiter = { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 };

/**
 * The deployed collector: scrapes the order service through Kubernetes service discovery and the
 * Fargate pods' cAdvisor metrics through the API server proxy, remote-writes both to AMP with SigV4,
 * and forwards OTLP traces to X-Ray.
 */
export function platformCollectorConfig(props: PlatformCollectorProps): CollectorConfig {
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `0.0.0.0:${adotCollector.ports.otlpGrpc}` },
          http: { endpoint: `0.0.0.0:${adotCollector.ports.otlpHttp}` },
        },
      },
      prometheus: {
        config: {
          global: { scrape_interval: '30s', scrape_timeout: '10s' },
          scrape_configs: [orderServiceScrapeConfig(), fargateCadvisorScrapeConfig(props)],
        },
      },
    },
    processors: {
      memory_limiter: memoryLimiter,
      batch: {},
    },
    exporters: {
      prometheusremotewrite: {
        endpoint: props.remoteWriteUrl,
        auth: { authenticator: 'sigv4auth' },
        external_labels: { cluster: props.clusterName },
      },
      awsxray: {
        region: props.region,
        ...(props.traceLogGroupNames.length > 0
          ? { aws_log_groups: [...props.traceLogGroupNames] }
          : {}),
      },
    },
    extensions: {
      sigv4auth: { region: props.region, service: 'aps' },
      health_check: { endpoint: `0.0.0.0:${adotCollector.ports.health}` },
    },
    service: {
      extensions: ['health_check', 'sigv4auth'],
      pipelines: {
        metrics: {
          receivers: ['prometheus'],
          processors: ['memory_limiter', 'batch'],
          exporters: ['prometheusremotewrite'],
        },
        traces: {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'batch'],
          exporters: ['awsxray'],
        },
      },
    },
  };
}

/**
 * The order service's endpoints, found through its Service's EndpointSlices, scraped on the named
 * metrics port. Labels match what the Prometheus Operator sets from a ServiceMonitor (`namespace`,
 * `pod`, `service`, `job`), so the alert expressions work on either path.
 */
function orderServiceScrapeConfig(): Record<string, unknown> {
  return {
    job_name: orderServiceScrapeJob,
    metrics_path: orderService.routes.metrics,
    kubernetes_sd_configs: [{ role: 'endpointslice', namespaces: { names: [orderService.name] } }],
    relabel_configs: [
      {
        action: 'keep',
        source_labels: [
          '__meta_kubernetes_service_name',
          '__meta_kubernetes_endpointslice_port_name',
        ],
        regex: `${orderService.name};${metricsPortName}`,
      },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
    ],
  };
}

/**
 * Fargate pods cannot reach the kubelet, so the collector asks the API server to proxy each node's
 * (each Fargate pod's) `/metrics/cadvisor` — the setup of the ADOT docs "Container Insights EKS
 * Fargate". `$$` is the collector's escape for a literal `$`.
 */
function fargateCadvisorScrapeConfig(props: PlatformCollectorProps): Record<string, unknown> {
  return {
    job_name: 'fargate-cadvisor',
    scheme: 'https',
    kubernetes_sd_configs: [{ role: 'node' }],
    tls_config: { ca_file: `${serviceAccountDir}/ca.crt` },
    authorization: { credentials_file: `${serviceAccountDir}/token` },
    relabel_configs: [
      { target_label: '__address__', replacement: 'kubernetes.default.svc:443' },
      {
        source_labels: ['__meta_kubernetes_node_name'],
        regex: '(.+)',
        target_label: '__metrics_path__',
        replacement: '/api/v1/nodes/$${1}/proxy/metrics/cadvisor',
      },
    ],
    metric_relabel_configs: [
      { action: 'keep', source_labels: ['__name__'], regex: keptCadvisorMetrics.join('|') },
      { action: 'keep', source_labels: ['namespace'], regex: props.podMetricsNamespaces.join('|') },
    ],
  };
}

/**
 * For a developer's machine: the order service's OTLP traces and its /metrics on 127.0.0.1:9464,
 * printed by the debug exporter. Run with `otelcol-contrib --config <file>` (docs/operations.md).
 */
export function localCollectorConfig(): CollectorConfig {
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: { endpoint: `127.0.0.1:${adotCollector.ports.otlpGrpc}` },
          http: { endpoint: `127.0.0.1:${adotCollector.ports.otlpHttp}` },
        },
      },
      prometheus: {
        config: {
          scrape_configs: [
            {
              job_name: orderServiceScrapeJob,
              scrape_interval: '15s',
              metrics_path: orderService.routes.metrics,
              static_configs: [{ targets: [`127.0.0.1:${orderService.metricsPort}`] }],
            },
          ],
        },
      },
    },
    processors: { batch: {} },
    exporters: { debug: { verbosity: 'basic' }, 'debug/detailed': { verbosity: 'detailed' } },
    service: {
      pipelines: {
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['debug/detailed'] },
        metrics: { receivers: ['prometheus'], processors: ['batch'], exporters: ['debug'] },
      },
    },
  };
}
