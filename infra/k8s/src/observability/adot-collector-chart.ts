import { createHash } from 'node:crypto';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { restrictedNamespaceLabels } from '../constructs/order-service-namespace.ts';
import { adotCollector } from './collector-contract.ts';
import { renderCollectorConfig, type CollectorConfig } from './collector-config.ts';

export interface AdotCollectorChartProps {
  readonly envName: string;
  /** ADOT collector image with an immutable tag, e.g. `public.ecr.aws/aws-observability/aws-otel-collector:v0.45.1`. */
  readonly image: string;
  readonly config: CollectorConfig;
  /** Emit the Namespace. Off when the CDK app owns it (the IRSA account must exist before the pods). */
  readonly manageNamespace: boolean;
  /** Namespaces whose Services and EndpointSlices the collector may discover (read-only, nothing else). */
  readonly discoveryNamespaces: readonly string[];
  /** Requests equal limits: Fargate sizes the pod from them. */
  readonly resources: { readonly cpuMillis: number; readonly memoryMebibytes: number };
}

const labels = {
  'app.kubernetes.io/name': adotCollector.name,
  'app.kubernetes.io/part-of': 'mallhive',
  'app.kubernetes.io/managed-by': 'cdk8s',
} as const;
const selector = { 'app.kubernetes.io/name': adotCollector.name } as const;
const configFile = 'collector.yaml';
const configDir = '/conf';

/**
 * The ADOT collector as plain Kubernetes objects (no operator, so no cert-manager; see
 * docs/infrastructure.md): its configuration, one replica (each replica would scrape every target,
 * duplicating every series), a Service for OTLP, and read-only RBAC for service discovery and the
 * API-server proxy to the Fargate kubelets. Its service account is created by CDK (IRSA) and only
 * referenced here.
 */
export class AdotCollectorChart extends Chart {
  /** The rendered, validated collector configuration. */
  readonly configYaml: string;

  constructor(scope: Construct, id: string, props: AdotCollectorChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.configYaml = renderCollectorConfig(props.config);
    const { namespace, name } = adotCollector;
    const metadata = (objectName: string) => ({ name: objectName, namespace, labels });

    if (props.manageNamespace) {
      new k8s.KubeNamespace(this, 'Namespace', {
        metadata: { name: namespace, labels: { ...restrictedNamespaceLabels } },
      });
    }

    new k8s.KubeConfigMap(this, 'Config', {
      metadata: metadata(`${name}-config`),
      data: { [configFile]: this.configYaml },
    });

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: metadata(name),
      spec: {
        replicas: 1,
        selector: { matchLabels: { ...selector } },
        template: {
          metadata: {
            labels: { ...labels },
            // The collector reads its file once: a changed configuration must restart the pod.
            annotations: { 'mallhive.com/config-hash': hash(this.configYaml) },
          },
          spec: {
            serviceAccountName: adotCollector.serviceAccountName,
            // IRSA's web identity token and the Kubernetes API token (service discovery).
            automountServiceAccountToken: true,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 10001,
              runAsGroup: 10001,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'collector',
                image: props.image,
                args: [`--config=${configDir}/${configFile}`],
                ports: [
                  { name: 'otlp-grpc', containerPort: adotCollector.ports.otlpGrpc },
                  { name: 'otlp-http', containerPort: adotCollector.ports.otlpHttp },
                  { name: 'health', containerPort: adotCollector.ports.health },
                ],
                resources: {
                  requests: resources(props.resources),
                  limits: resources(props.resources),
                },
                livenessProbe: {
                  httpGet: { path: '/', port: k8s.IntOrString.fromString('health') },
                },
                readinessProbe: {
                  httpGet: { path: '/', port: k8s.IntOrString.fromString('health') },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [{ name: 'config', mountPath: configDir, readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
          },
        },
      },
    });

    new k8s.KubeService(this, 'Service', {
      metadata: metadata(name),
      spec: {
        type: 'ClusterIP',
        selector: { ...selector },
        ports: [
          {
            name: 'otlp-grpc',
            port: adotCollector.ports.otlpGrpc,
            targetPort: k8s.IntOrString.fromString('otlp-grpc'),
            appProtocol: 'grpc',
          },
          {
            name: 'otlp-http',
            port: adotCollector.ports.otlpHttp,
            targetPort: k8s.IntOrString.fromString('otlp-http'),
          },
        ],
      },
    });

    this.addRbac(props.discoveryNamespaces);
  }

  /**
   * Read-only and as narrow as the scrape jobs: list/watch of nodes (node discovery) and `get` on
   * `nodes/proxy` (the cAdvisor path through the API server) cluster-wide, because nodes are
   * cluster-scoped; Services, Pods and EndpointSlices only in the scraped namespaces.
   */
  private addRbac(discoveryNamespaces: readonly string[]): void {
    const { name, namespace, serviceAccountName } = adotCollector;
    const subjects = [{ kind: 'ServiceAccount', name: serviceAccountName, namespace }];
    const clusterRoleName = `${name}-fargate-cadvisor`;
    new k8s.KubeClusterRole(this, 'NodesRole', {
      metadata: { name: clusterRoleName, labels },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'NodesRoleBinding', {
      metadata: { name: clusterRoleName, labels },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: clusterRoleName,
      },
      subjects,
    });
    for (const target of discoveryNamespaces) {
      const roleName = `${name}-discovery`;
      new k8s.KubeRole(this, `DiscoveryRole-${target}`, {
        metadata: { name: roleName, namespace: target, labels },
        rules: [
          { apiGroups: [''], resources: ['services', 'pods'], verbs: ['list', 'watch'] },
          {
            apiGroups: ['discovery.k8s.io'],
            resources: ['endpointslices'],
            verbs: ['list', 'watch'],
          },
        ],
      });
      new k8s.KubeRoleBinding(this, `DiscoveryRoleBinding-${target}`, {
        metadata: { name: roleName, namespace: target, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
        subjects,
      });
    }
  }
}

function resources(size: AdotCollectorChartProps['resources']): Record<string, k8s.Quantity> {
  return {
    cpu: k8s.Quantity.fromString(`${size.cpuMillis}m`),
    memory: k8s.Quantity.fromString(`${size.memoryMebibytes}Mi`),
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
