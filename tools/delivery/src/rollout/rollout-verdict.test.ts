import { describe, expect, it } from 'vitest';
import { recorded } from '../testing/recorded-rollouts.ts';
import { assessRollout, type RolloutVerdict } from './rollout-verdict.ts';

const start = Date.parse('2026-11-29T10:15:00Z');
const beforeDeadline = { now: start + 60_000, deadline: start + 600_000 };
const afterDeadline = { now: start + 600_001, deadline: start + 600_000 };

function verdictFor(
  scenario: Parameters<typeof recorded>[0],
  clock = beforeDeadline,
): RolloutVerdict {
  const answers = recorded(scenario);
  return assessRollout(
    answers,
    { container: 'order-service', image: answers.expectedImage, service: 'order-service' },
    clock,
  );
}

describe('the rollout gate, judging recorded Kubernetes and ELB answers', () => {
  it('succeeds when the new ReplicaSet is fully available and its pods are healthy ALB targets', () => {
    expect(verdictFor('success')).toEqual({
      kind: 'succeeded',
      summary:
        'ReplicaSet order-service-7d9f8c6b5a: 2 of 2 pods available; 2 of 2 ALB targets healthy',
    });
  });

  it('fails at once on a crash-looping new pod and says how it last exited', () => {
    expect(verdictFor('crash-loop')).toMatchObject({
      kind: 'failed',
      reason: 'crash-loop',
      summary: '1 new pod crash-loop: order-service-7d9f8c6b5a-x2k9p (CrashLoopBackOff)',
      pods: [
        {
          pod: 'order-service-7d9f8c6b5a-x2k9p',
          container: 'order-service',
          reason: 'CrashLoopBackOff',
          restartCount: 3,
          lastTermination: { reason: 'Error', exitCode: 1 },
        },
      ],
    });
  });

  it('fails at once when a new pod cannot pull the image, with the registry error', () => {
    const verdict = verdictFor('image-pull-error');
    expect(verdict).toMatchObject({ kind: 'failed', reason: 'image-pull' });
    expect(verdict.kind === 'failed' && verdict.pods[0]?.message).toMatch(/not found$/);
  });

  it('keeps waiting while a new pod is not yet a healthy target, then fails at the deadline', () => {
    expect(verdictFor('timeout', beforeDeadline)).toEqual({
      kind: 'progressing',
      summary:
        '1 of 2 new replicas updated; 0 of 1 ALB targets healthy: order-service-7d9f8c6b5a-x2k9p unhealthy (Target.ResponseCodeMismatch)',
    });
    expect(verdictFor('timeout', afterDeadline)).toMatchObject({
      kind: 'failed',
      reason: 'timeout',
      summary: expect.stringMatching(/^deadline passed: 1 of 2 new replicas updated/),
      pods: [
        {
          pod: 'order-service-7d9f8c6b5a-x2k9p',
          reason: 'Target.ResponseCodeMismatch',
          message: 'Health checks failed with these codes: [404]',
        },
      ],
    });
  });

  it('does not take a finished rollout of another image for success', () => {
    const answers = recorded('success');
    const verdict = assessRollout(
      answers,
      {
        container: 'order-service',
        image: answers.expectedImage.replace('@sha256:5e', '@sha256:00'),
        service: 'order-service',
      },
      beforeDeadline,
    );
    expect(verdict).toMatchObject({
      kind: 'progressing',
      summary: expect.stringMatching(/^Deployment runs .*, not yet/),
    });
  });

  it('fails when the Deployment reports ProgressDeadlineExceeded, before the gate deadline', () => {
    const answers = recorded('timeout');
    const stalled = {
      ...answers,
      deployment: {
        ...answers.deployment,
        status: {
          ...answers.deployment.status,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'ReplicaSet "order-service-7d9f8c6b5a" has timed out progressing.',
            },
          ],
        },
      },
    };
    expect(
      assessRollout(
        stalled,
        { container: 'order-service', image: answers.expectedImage, service: 'order-service' },
        beforeDeadline,
      ),
    ).toMatchObject({
      kind: 'failed',
      reason: 'progress-deadline',
      summary: expect.stringContaining('has timed out progressing'),
    });
  });

  it('waits for the target groups when the Load Balancer Controller has not bound the Service yet', () => {
    const answers = recorded('success');
    const unbound = { ...answers, targetGroupBindings: { items: [] } };
    expect(
      assessRollout(
        unbound,
        { container: 'order-service', image: answers.expectedImage, service: 'order-service' },
        beforeDeadline,
      ),
    ).toMatchObject({
      kind: 'progressing',
      summary: expect.stringContaining('no TargetGroupBinding for Service order-service'),
    });
  });
});
