import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { PodDiagnosis } from './failure-report.ts';
import type { RolloutObservation, TargetGroupBinding } from './rollout-observation.ts';
import type { PodFailure } from './rollout-verdict.ts';

interface KubernetesApis {
  readonly apps: AppsV1Api;
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
}

/**
 * Kubernetes clients for an EKS cluster, authenticated like kubectl: `aws eks get-token` with the
 * caller's AWS credentials (in CI the deploy role, which RBAC lets only read the service namespace).
 */
export async function connectToCluster(
  clusterName: string,
  region: string,
): Promise<KubernetesApis> {
  const { cluster } = await new EKSClient({ region }).send(
    new DescribeClusterCommand({ name: clusterName }),
  );
  if (!cluster?.endpoint || !cluster.certificateAuthority?.data) {
    throw new Error(`EKS cluster ${clusterName} has no endpoint yet`);
  }
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      {
        name: clusterName,
        server: cluster.endpoint,
        caData: cluster.certificateAuthority.data,
        skipTLSVerify: false,
      },
    ],
    users: [
      {
        name: 'aws',
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: [
            'eks',
            'get-token',
            '--cluster-name',
            clusterName,
            '--region',
            region,
            '--output',
            'json',
          ],
          interactiveMode: 'Never',
        },
      },
    ],
    contexts: [{ name: clusterName, cluster: clusterName, user: 'aws' }],
    currentContext: clusterName,
  });
  return {
    apps: config.makeApiClient(AppsV1Api),
    core: config.makeApiClient(CoreV1Api),
    custom: config.makeApiClient(CustomObjectsApi),
  };
}

/** One read of everything the rollout gate judges (rollout-observation.ts). */
export function rolloutObserver(
  apis: KubernetesApis,
  region: string,
  namespace: string,
  deploymentName: string,
): () => Promise<RolloutObservation> {
  const elb = new ElasticLoadBalancingV2Client({ region });
  return async () => {
    const deployment = await apis.apps.readNamespacedDeployment({
      name: deploymentName,
      namespace,
    });
    const labelSelector = Object.entries(deployment.spec?.selector.matchLabels ?? {})
      .map(([key, value]) => `${key}=${value}`)
      .join(',');
    const [replicaSets, pods, targetGroupBindings] = await Promise.all([
      apis.apps.listNamespacedReplicaSet({ namespace, labelSelector }),
      apis.core.listNamespacedPod({ namespace, labelSelector }),
      apis.custom.listNamespacedCustomObject({
        group: 'elbv2.k8s.aws',
        version: 'v1beta1',
        namespace,
        plural: 'targetgroupbindings',
      }) as Promise<{ items: TargetGroupBinding[] }>,
    ]);
    const arns = targetGroupBindings.items.flatMap((b) =>
      b.spec?.targetGroupARN ? [b.spec.targetGroupARN] : [],
    );
    const health = await Promise.all(
      arns.map((arn) => elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))),
    );
    return {
      deployment,
      replicaSets,
      pods,
      targetGroupBindings,
      targetHealth: Object.fromEntries(arns.map((arn, i) => [arn, health[i] ?? {}])),
    };
  };
}

/** The recent events and last log lines of each failed pod (at most three pods). */
export function podDiagnostics(apis: KubernetesApis, namespace: string) {
  return async (pods: readonly PodFailure[]): Promise<PodDiagnosis[]> =>
    Promise.all(
      pods.slice(0, 3).map(async (failure): Promise<PodDiagnosis> => {
        const events = await apis.core
          .listNamespacedEvent({
            namespace,
            fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${failure.pod}`,
          })
          .then((list) => list.items.slice(-10))
          .catch(() => []);
        try {
          const log = await apis.core.readNamespacedPodLog({
            name: failure.pod,
            namespace,
            ...(failure.container ? { container: failure.container } : {}),
            tailLines: 20,
            // A crash-looping container's useful lines are those of the run that crashed.
            previous: (failure.restartCount ?? 0) > 0,
          });
          return { pod: failure.pod, events, logLines: log.split('\n').filter((l) => l !== '') };
        } catch (error) {
          return {
            pod: failure.pod,
            events,
            logLines: [],
            logError: (error as Error).message.split('\n')[0] ?? 'unknown',
          };
        }
      }),
    );
}
