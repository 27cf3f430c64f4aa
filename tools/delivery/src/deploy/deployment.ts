import { formatImageVersion, type ImageVersion } from '../image/image-ref.ts';
import { describeFailure, describeVerdict, type PodDiagnosis } from '../rollout/failure-report.ts';
import type { PodFailure, RolloutVerdict } from '../rollout/rollout-verdict.ts';

/** An image a stack can be deployed with: by digest, or (before digests were recorded) by tag. */
export type DeployableImage = Pick<ImageVersion, 'tag'> & Partial<Pick<ImageVersion, 'digest'>>;

export interface DeploymentSteps {
  /** `cdk deploy` of the platform stack with this image; throws if CloudFormation fails. */
  deployStack(image: DeployableImage): Promise<void>;
  /** The rollout gate for this image. */
  waitForRollout(image: DeployableImage): Promise<RolloutVerdict>;
  /** Events and last log lines of the failed pods. */
  diagnose(pods: readonly PodFailure[]): Promise<PodDiagnosis[]>;
}

export type DeploymentOutcome =
  | { readonly kind: 'deployed'; readonly verdict: RolloutVerdict }
  /** CloudFormation refused or rolled back the update itself; the old template (and image) stand. */
  | { readonly kind: 'stack-update-failed'; readonly error: string }
  /** Nobody could tell whether the rollout worked: nothing was rolled back. */
  | { readonly kind: 'unverified'; readonly verdict: RolloutVerdict }
  | {
      readonly kind: 'failed';
      readonly verdict: RolloutVerdict;
      readonly diagnoses: readonly PodDiagnosis[];
      readonly rollback:
        | { readonly kind: 'not-possible'; readonly why: string }
        | {
            readonly kind: 'done';
            readonly image: DeployableImage;
            readonly verdict: RolloutVerdict;
          }
        | { readonly kind: 'failed'; readonly image: DeployableImage; readonly error: string };
    };

export interface DeploymentRequest {
  readonly next: ImageVersion;
  /** What the stack ran before this deploy (its outputs), if anything. */
  readonly previous: DeployableImage | undefined;
  /** Redeploy `previous` when the rollout fails (off for a rollback by hand). */
  readonly rollBack: boolean;
}

/** Deploys `next`, waits for the rollout, and on failure reports why and redeploys `previous`. */
export async function deployWithRollback(
  request: DeploymentRequest,
  steps: DeploymentSteps,
): Promise<DeploymentOutcome> {
  try {
    await steps.deployStack(request.next);
  } catch (error) {
    return { kind: 'stack-update-failed', error: messageOf(error) };
  }
  const verdict = await steps.waitForRollout(request.next);
  if (verdict.kind === 'succeeded') return { kind: 'deployed', verdict };
  if (verdict.kind !== 'failed') return { kind: 'unverified', verdict };

  const diagnoses = await steps.diagnose(verdict.pods).catch(() => []);
  const { previous } = request;
  const why = !request.rollBack
    ? 'automatic rollback is off for this deploy'
    : !previous
      ? 'the stack recorded no earlier image'
      : previous.digest === request.next.digest
        ? 'the failing image is the one that ran before (an infrastructure-only change): roll back the change instead'
        : undefined;
  if (why || !previous)
    return {
      kind: 'failed',
      verdict,
      diagnoses,
      rollback: { kind: 'not-possible', why: why ?? '' },
    };
  try {
    await steps.deployStack(previous);
    const rolledBack = await steps.waitForRollout(previous);
    return {
      kind: 'failed',
      verdict,
      diagnoses,
      rollback: { kind: 'done', image: previous, verdict: rolledBack },
    };
  } catch (error) {
    return {
      kind: 'failed',
      verdict,
      diagnoses,
      rollback: { kind: 'failed', image: previous, error: messageOf(error) },
    };
  }
}

export function deploymentSucceeded(outcome: DeploymentOutcome): boolean {
  return outcome.kind === 'deployed';
}

/** The outcome as the job summary and the terminal show it. */
export function describeOutcome(
  outcome: DeploymentOutcome,
  env: string,
  request: DeploymentRequest,
): string {
  const image = `\`${formatImageVersion(request.next)}\``;
  switch (outcome.kind) {
    case 'deployed':
      return `### ${env}: deployed ${image}\n\nRollout ${describeVerdict(outcome.verdict)}\n`;
    case 'stack-update-failed':
      return `### ${env}: cdk deploy failed for ${image}\n\nCloudFormation kept (or restored) the previous template:\n\n\`\`\`text\n${outcome.error}\n\`\`\`\n`;
    case 'unverified':
      return `### ${env}: deployed ${image}, rollout NOT verified\n\n${describeVerdict(outcome.verdict)}\n\nNothing was rolled back. Check the rollout by hand (docs/operations.md, "Rollout").\n`;
    case 'failed': {
      const rollback = outcome.rollback;
      const after =
        rollback.kind === 'not-possible'
          ? `Not rolled back: ${rollback.why}.`
          : rollback.kind === 'done'
            ? `Rolled back to \`${rollback.image.digest ? formatImageVersion(rollback.image as ImageVersion) : rollback.image.tag}\`: rollout ${describeVerdict(rollback.verdict)}`
            : `Rollback to \`${rollback.image.tag}\` FAILED: ${rollback.error}`;
      return `### ${env}: rollout of ${image} failed\n\n${describeFailure(outcome.verdict, outcome.diagnoses)}\n${after}\n`;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
