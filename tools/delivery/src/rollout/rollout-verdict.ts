import type {
  ContainerStatus,
  Deployment,
  Pod,
  ReplicaSet,
  RolloutExpectation,
  RolloutObservation,
} from './rollout-observation.ts';

/**
 * Decides, from one observation, whether a rollout succeeded, failed, or is still progressing. Pure:
 * the gate (rollout-gate.ts) polls and calls it; the tests feed it recorded API answers.
 *
 * Succeeded: the Deployment is fully rolled out the way `kubectl rollout status` judges it, its new
 * ReplicaSet (the one running the expected image) is fully available, and every pod of that
 * ReplicaSet is a healthy target of the Service's ALB target groups.
 * Failed: a new pod cannot pull its image or start its container, crash-loops, the Deployment
 * reports ProgressDeadlineExceeded, or the deadline passed first.
 */
export type FailureReason =
  'image-pull' | 'container-config' | 'crash-loop' | 'progress-deadline' | 'timeout';

export interface PodFailure {
  readonly pod: string;
  readonly container?: string;
  readonly reason: string;
  readonly message?: string;
  readonly restartCount?: number;
  readonly lastTermination?: {
    readonly reason?: string;
    readonly exitCode?: number;
    readonly message?: string;
  };
}

export type RolloutVerdict =
  | { readonly kind: 'progressing'; readonly summary: string }
  | { readonly kind: 'succeeded'; readonly summary: string }
  /** The gate could not read the rollout (no permission, API unreachable): it judged nothing. */
  | { readonly kind: 'unobservable'; readonly summary: string }
  | {
      readonly kind: 'failed';
      readonly reason: FailureReason;
      readonly summary: string;
      /** The pods that failed, or (on a timeout) the new pods that never became ready. */
      readonly pods: readonly PodFailure[];
    };

export interface RolloutClock {
  readonly now: number;
  readonly deadline: number;
}

export interface VerdictOptions {
  /** A new container in CrashLoopBackOff fails the rollout once it restarted this often. */
  readonly crashLoopRestarts: number;
}

const defaults: VerdictOptions = { crashLoopRestarts: 2 };

// Kubelet waiting reasons after which the pod cannot start without a change (kubelet back-off).
const imagePullFailures = new Set(['ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const configFailures = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);
const severity: FailureReason[] = ['image-pull', 'container-config', 'crash-loop'];

export function assessRollout(
  observation: RolloutObservation,
  expected: RolloutExpectation,
  clock: RolloutClock,
  options: VerdictOptions = defaults,
): RolloutVerdict {
  const { deployment } = observation;
  const templateImage = containerImage(deployment.spec?.template, expected.container);
  if (templateImage !== expected.image) {
    return pending(
      clock,
      `Deployment runs ${templateImage ?? 'no such container'}, not yet ${expected.image}`,
      [],
    );
  }

  const newReplicaSet = newestReplicaSetOf(observation, deployment, expected);
  const newPods = podsOf(observation.pods.items, newReplicaSet);

  const failures = newPods.flatMap((pod) => podFailures(pod, expected.container, options));
  if (failures.length > 0) {
    const reason = severity.find((r) => failures.some((f) => f.category === r)) ?? 'crash-loop';
    const pods = failures.filter((f) => f.category === reason).map((f) => f.failure);
    return {
      kind: 'failed',
      reason,
      pods,
      summary: `${pods.length} new pod${pods.length === 1 ? '' : 's'} ${describeReason(reason)}: ${pods.map((p) => `${p.pod} (${p.reason})`).join(', ')}`,
    };
  }

  const stalled = deployment.status?.conditions?.find(
    (c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded',
  );
  if (stalled) {
    return {
      kind: 'failed',
      reason: 'progress-deadline',
      summary: `Deployment exceeded its progress deadline: ${stalled.message ?? ''}`.trim(),
      pods: newPods.flatMap((pod) => notReady(pod, expected.container)),
    };
  }

  const rollout = rolloutStatus(deployment, newReplicaSet);
  const targets = targetStatus(observation, newPods, expected.service);
  const summary = `${rollout.message}; ${targets.message}`;
  if (rollout.done && targets.healthy) return { kind: 'succeeded', summary };
  return pending(
    clock,
    summary,
    newPods.flatMap((pod) => notReady(pod, expected.container)),
  );
}

function pending(clock: RolloutClock, summary: string, pods: PodFailure[]): RolloutVerdict {
  if (clock.now < clock.deadline) return { kind: 'progressing', summary };
  return { kind: 'failed', reason: 'timeout', summary: `deadline passed: ${summary}`, pods };
}

function describeReason(reason: FailureReason): string {
  return {
    'image-pull': 'cannot pull the image',
    'container-config': 'cannot create their container',
    'crash-loop': 'crash-loop',
    'progress-deadline': 'made no progress',
    timeout: 'timed out',
  }[reason];
}

function containerImage(
  template:
    | {
        readonly spec?: {
          readonly containers: readonly { readonly name: string; readonly image?: string }[];
        };
      }
    | undefined,
  container: string,
): string | undefined {
  return template?.spec?.containers.find((c) => c.name === container)?.image;
}

/** The Deployment's ReplicaSet that runs the expected image (the newest, should there be two). */
function newestReplicaSetOf(
  observation: RolloutObservation,
  deployment: Deployment,
  expected: RolloutExpectation,
): ReplicaSet | undefined {
  const revision = (rs: ReplicaSet) =>
    Number(rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
  return observation.replicaSets.items
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === deployment.metadata?.uid))
    .filter((rs) => containerImage(rs.spec?.template, expected.container) === expected.image)
    .sort((a, b) => revision(b) - revision(a))[0];
}

function podsOf(pods: readonly Pod[], replicaSet: ReplicaSet | undefined): Pod[] {
  const hash = replicaSet?.metadata?.labels?.['pod-template-hash'];
  if (!hash) return [];
  return pods.filter(
    (pod) =>
      pod.metadata?.labels?.['pod-template-hash'] === hash && !pod.metadata?.deletionTimestamp,
  );
}

function podFailures(
  pod: Pod,
  container: string,
  options: VerdictOptions,
): { category: FailureReason; failure: PodFailure }[] {
  return (pod.status?.containerStatuses ?? []).flatMap((status) => {
    const waiting = status.state?.waiting?.reason;
    const category: FailureReason | undefined = !waiting
      ? undefined
      : imagePullFailures.has(waiting)
        ? 'image-pull'
        : configFailures.has(waiting)
          ? 'container-config'
          : waiting === 'CrashLoopBackOff' &&
              (status.restartCount ?? 0) >= options.crashLoopRestarts
            ? 'crash-loop'
            : undefined;
    return category
      ? [{ category, failure: podFailure(pod, status, waiting ?? '', container) }]
      : [];
  });
}

function podFailure(
  pod: Pod,
  status: ContainerStatus | undefined,
  reason: string,
  container: string,
): PodFailure {
  const terminated = status?.lastState?.terminated;
  const message = status?.state?.waiting?.message;
  return {
    pod: pod.metadata?.name ?? '?',
    container: status?.name ?? container,
    reason,
    ...(message ? { message } : {}),
    ...(status ? { restartCount: status.restartCount ?? 0 } : {}),
    ...(terminated
      ? {
          lastTermination: {
            ...(terminated.reason ? { reason: terminated.reason } : {}),
            ...(terminated.exitCode !== undefined ? { exitCode: terminated.exitCode } : {}),
            ...(terminated.message ? { message: terminated.message } : {}),
          },
        }
      : {}),
  };
}

/** Why a new pod is not ready yet: scheduling, a waiting container, probes or the ALB readiness gate. */
function notReady(pod: Pod, container: string): PodFailure[] {
  const conditions = pod.status?.conditions ?? [];
  if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return [];
  const status = pod.status?.containerStatuses?.find((s) => s.name === container);
  const waiting = status?.state?.waiting;
  if (waiting?.reason) return [podFailure(pod, status, waiting.reason, container)];
  const blocking = conditions.find(
    (c) =>
      c.status === 'False' &&
      (c.type === 'PodScheduled' ||
        c.type?.startsWith('target-health.elbv2.k8s.aws/') ||
        c.type === 'ContainersReady'),
  );
  const reason =
    blocking?.reason ??
    (blocking?.type?.startsWith('target-health') ? 'ALB target not healthy' : undefined);
  return [
    {
      pod: pod.metadata?.name ?? '?',
      container,
      reason: reason ?? pod.status?.phase ?? 'NotReady',
      ...(blocking?.message ? { message: blocking.message } : {}),
      ...(status ? { restartCount: status.restartCount ?? 0 } : {}),
    },
  ];
}

/** `kubectl rollout status` for a Deployment, plus: the new ReplicaSet is fully available. */
function rolloutStatus(
  deployment: Deployment,
  newReplicaSet: ReplicaSet | undefined,
): { done: boolean; message: string } {
  const status = deployment.status ?? {};
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? -1)) {
    return { done: false, message: 'waiting for the Deployment update to be observed' };
  }
  const desired = deployment.spec?.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const replicas = status.replicas ?? 0;
  const available = status.availableReplicas ?? 0;
  if (updated < desired)
    return { done: false, message: `${updated} of ${desired} new replicas updated` };
  if (replicas > updated)
    return { done: false, message: `${replicas - updated} old replicas pending termination` };
  if (available < updated)
    return { done: false, message: `${available} of ${updated} updated replicas available` };
  if (!newReplicaSet) return { done: false, message: 'no ReplicaSet runs the new image yet' };
  const want = newReplicaSet.spec?.replicas ?? 0;
  const have = newReplicaSet.status?.availableReplicas ?? 0;
  const name = newReplicaSet.metadata?.name ?? '?';
  if (want === 0 || have < want)
    return { done: false, message: `ReplicaSet ${name}: ${have} of ${want} available` };
  return { done: true, message: `ReplicaSet ${name}: ${have} of ${want} pods available` };
}

/** Every new pod must be a healthy target in every target group bound to the Service. */
function targetStatus(
  observation: RolloutObservation,
  newPods: readonly Pod[],
  service: string,
): { healthy: boolean; message: string } {
  const bindings = observation.targetGroupBindings.items.filter(
    (b) => b.spec?.serviceRef?.name === service,
  );
  if (bindings.length === 0)
    return { healthy: false, message: `no TargetGroupBinding for Service ${service} yet` };
  if (newPods.length === 0)
    return { healthy: false, message: 'no new pods to check in the ALB yet' };
  let healthy = 0;
  const problems: string[] = [];
  for (const binding of bindings) {
    const arn = binding.spec?.targetGroupARN ?? '';
    const targets = observation.targetHealth[arn]?.TargetHealthDescriptions ?? [];
    for (const pod of newPods) {
      const ip = pod.status?.podIP;
      const target = targets.find((t) => t.Target?.Id === ip);
      const state = ip ? (target?.TargetHealth?.State ?? 'unregistered') : 'no pod IP yet';
      if (state === 'healthy') healthy += 1;
      else
        problems.push(
          `${pod.metadata?.name ?? '?'} ${state}${target?.TargetHealth?.Reason ? ` (${target.TargetHealth.Reason})` : ''}`,
        );
    }
  }
  const total = healthy + problems.length;
  const message = `${healthy} of ${total} ALB targets healthy${problems.length ? `: ${problems.join(', ')}` : ''}`;
  return { healthy: problems.length === 0, message };
}
