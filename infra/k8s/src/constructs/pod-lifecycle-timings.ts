/**
 * How long a pod lingers when it is told to stop, so no request is dropped during a rollout:
 *
 * 1. The pod turns Terminating; the ALB controller starts deregistering its IP, which takes a few
 *    seconds to reach every ALB node. Meanwhile the ALB still sends requests, so the preStop hook
 *    just waits (the app keeps serving).
 * 2. After preStop, SIGTERM: the service answers 503 on /readyz and drains in-flight requests within
 *    SHUTDOWN_TIMEOUT_MS.
 * 3. The grace period covers both plus a margin before the kubelet sends SIGKILL.
 */
export interface PodLifecycleTimings {
  readonly preStopSleepSeconds: number;
  readonly terminationGracePeriodSeconds: number;
  /** ALB target group draining time: connections still open after deregistration may finish. */
  readonly albDeregistrationDelaySeconds: number;
}

const preStopSleepSeconds = 15;
const killMarginSeconds = 5;

export function podLifecycleTimings(shutdownTimeoutMs: number): PodLifecycleTimings {
  const drainSeconds = Math.ceil(shutdownTimeoutMs / 1000);
  return {
    preStopSleepSeconds,
    terminationGracePeriodSeconds: preStopSleepSeconds + drainSeconds + killMarginSeconds,
    albDeregistrationDelaySeconds: preStopSleepSeconds + drainSeconds,
  };
}
