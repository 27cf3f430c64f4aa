import type { RolloutExpectation, RolloutObservation } from './rollout-observation.ts';
import { assessRollout, type RolloutVerdict, type VerdictOptions } from './rollout-verdict.ts';

export interface GateDependencies {
  /** Reads the Deployment, ReplicaSets, Pods, TargetGroupBindings and target health once. */
  observe(): Promise<RolloutObservation>;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Told each new state while the rollout progresses. */
  progress?(summary: string): void;
}

export interface GateOptions extends Partial<VerdictOptions> {
  readonly timeoutMs: number;
  readonly pollMs: number;
}

/**
 * Polls until the rollout succeeds or fails, or the deadline passes. Reading errors are retried
 * until the deadline, except a refusal (401/403, AccessDenied): the gate then reports that it
 * cannot see the rollout instead of calling a possibly healthy rollout failed.
 */
export async function waitForRollout(
  expected: RolloutExpectation,
  deps: GateDependencies,
  options: GateOptions,
): Promise<RolloutVerdict> {
  const deadline = deps.now() + options.timeoutMs;
  const verdictOptions = { crashLoopRestarts: options.crashLoopRestarts ?? 2 };
  let reported = '';
  for (;;) {
    let verdict: RolloutVerdict;
    try {
      const observation = await deps.observe();
      verdict = assessRollout(observation, expected, { now: deps.now(), deadline }, verdictOptions);
    } catch (error) {
      const summary = `cannot read the rollout: ${messageOf(error)}`;
      if (isRefusal(error) || deps.now() >= deadline) return { kind: 'unobservable', summary };
      verdict = { kind: 'progressing', summary };
    }
    if (verdict.kind !== 'progressing') return verdict;
    if (verdict.summary !== reported) deps.progress?.(verdict.summary);
    reported = verdict.summary;
    await deps.sleep(options.pollMs);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** Kubernetes ApiException carries `code`; AWS SDK errors carry a name and `$metadata`. */
function isRefusal(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; $metadata?: { httpStatusCode?: number } };
  return (
    e.code === 401 ||
    e.code === 403 ||
    e.$metadata?.httpStatusCode === 403 ||
    (typeof e.name === 'string' && /AccessDenied|Unauthorized/.test(e.name))
  );
}
