import { describe, expect, it } from 'vitest';
import type { PodDiagnosis } from '../rollout/failure-report.ts';
import type { RolloutVerdict } from '../rollout/rollout-verdict.ts';
import {
  describeOutcome,
  deployWithRollback,
  type DeployableImage,
  type DeploymentSteps,
} from './deployment.ts';

const next = { tag: 'b'.repeat(40), digest: `sha256:${'bb'.repeat(32)}` };
const previous = { tag: 'a'.repeat(40), digest: `sha256:${'aa'.repeat(32)}` };
const succeeded: RolloutVerdict = {
  kind: 'succeeded',
  summary: 'ReplicaSet x: 2 of 2 pods available',
};
const crashLoop: RolloutVerdict = {
  kind: 'failed',
  reason: 'crash-loop',
  summary: '1 new pod crash-loop: p1 (CrashLoopBackOff)',
  pods: [{ pod: 'p1', container: 'order-service', reason: 'CrashLoopBackOff', restartCount: 3 }],
};
const diagnosis: PodDiagnosis = { pod: 'p1', events: [], logLines: ['start-up failed'] };

/** Records what was deployed and answers the gate per image digest. */
function steps(verdicts: Record<string, RolloutVerdict>, failDeployOf?: string) {
  const deployed: DeployableImage[] = [];
  const fake: DeploymentSteps = {
    deployStack: async (image) => {
      deployed.push(image);
      if (failDeployOf && image.digest === failDeployOf)
        throw new Error('UPDATE_ROLLBACK_COMPLETE');
    },
    waitForRollout: async (image) => verdicts[image.digest ?? image.tag]!,
    diagnose: async () => [diagnosis],
  };
  return { fake, deployed };
}

describe('deploying with the rollout gate and automatic rollback', () => {
  it('deploys the new digest and stops when the rollout succeeds', async () => {
    const { fake, deployed } = steps({ [next.digest]: succeeded });
    const outcome = await deployWithRollback({ next, previous, rollBack: true }, fake);
    expect(outcome).toEqual({ kind: 'deployed', verdict: succeeded });
    expect(deployed).toEqual([next]);
  });

  it('on a failed rollout, redeploys the previous digest, gates it too, and reports the pods', async () => {
    const { fake, deployed } = steps({ [next.digest]: crashLoop, [previous.digest]: succeeded });
    const outcome = await deployWithRollback({ next, previous, rollBack: true }, fake);
    expect(deployed).toEqual([next, previous]);
    expect(outcome).toEqual({
      kind: 'failed',
      verdict: crashLoop,
      diagnoses: [diagnosis],
      rollback: { kind: 'done', image: previous, verdict: succeeded },
    });
    const text = describeOutcome(outcome, 'prod', { next, previous, rollBack: true });
    expect(text).toContain(`### prod: rollout of \`${next.tag}@${next.digest}\` failed`);
    expect(text).toContain('| p1 | order-service | CrashLoopBackOff | 3 |');
    expect(text).toContain(
      `Rolled back to \`${previous.tag}@${previous.digest}\`: rollout succeeded`,
    );
  });

  it('does not "roll back" to the very image that just failed', async () => {
    const { fake, deployed } = steps({ [next.digest]: crashLoop });
    const outcome = await deployWithRollback({ next, previous: next, rollBack: true }, fake);
    expect(deployed).toEqual([next]);
    expect(outcome).toMatchObject({
      kind: 'failed',
      rollback: { kind: 'not-possible', why: expect.stringMatching(/infrastructure-only/) },
    });
  });

  it('has nothing to roll back to on a first deploy, and still fails', async () => {
    const { fake } = steps({ [next.digest]: crashLoop });
    expect(
      await deployWithRollback({ next, previous: undefined, rollBack: true }, fake),
    ).toMatchObject({
      kind: 'failed',
      rollback: { kind: 'not-possible', why: 'the stack recorded no earlier image' },
    });
  });

  it('rolls back to a tag-only image recorded before digests were', async () => {
    const legacy = { tag: previous.tag };
    const { fake, deployed } = steps({ [next.digest]: crashLoop, [legacy.tag]: succeeded });
    const outcome = await deployWithRollback({ next, previous: legacy, rollBack: true }, fake);
    expect(deployed).toEqual([next, legacy]);
    expect(outcome).toMatchObject({ rollback: { kind: 'done', image: legacy } });
  });

  it('leaves a CloudFormation failure to CloudFormation, which restores the old template itself', async () => {
    const { fake, deployed } = steps({}, next.digest);
    expect(await deployWithRollback({ next, previous, rollBack: true }, fake)).toEqual({
      kind: 'stack-update-failed',
      error: 'UPDATE_ROLLBACK_COMPLETE',
    });
    expect(deployed).toEqual([next]);
  });

  it('rolls nothing back when the gate could not see the rollout', async () => {
    const unobservable: RolloutVerdict = {
      kind: 'unobservable',
      summary: 'cannot read the rollout: 403',
    };
    const { fake, deployed } = steps({ [next.digest]: unobservable });
    expect(await deployWithRollback({ next, previous, rollBack: true }, fake)).toEqual({
      kind: 'unverified',
      verdict: unobservable,
    });
    expect(deployed).toEqual([next]);
  });

  it('reports a failed rollback loudly', async () => {
    const { fake } = steps({ [next.digest]: crashLoop }, previous.digest);
    const outcome = await deployWithRollback({ next, previous, rollBack: true }, fake);
    expect(outcome).toMatchObject({
      rollback: { kind: 'failed', error: 'UPDATE_ROLLBACK_COMPLETE' },
    });
    expect(describeOutcome(outcome, 'dev', { next, previous, rollBack: true })).toContain(
      `Rollback to \`${previous.tag}\` FAILED: UPDATE_ROLLBACK_COMPLETE`,
    );
  });
});
