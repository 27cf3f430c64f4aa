/**
 * Whether a commit deploys anything, decided from the files it changed and the inputs Nx resolves
 * for the two things a deploy ships: the image (`order-service:container`) and the template
 * (`infra-aws:synth`). A change to neither (docs, workflows, tests of other projects) deploys nothing.
 */
export interface DeploymentInputs {
  readonly changedFiles: readonly string[];
  /** Files the order service image is built from. */
  readonly imageInputs: readonly string[];
  /** Files the CDK app (infrastructure and chart) is synthesized from. */
  readonly infrastructureInputs: readonly string[];
}

export interface DeploymentPlan {
  readonly deploy: boolean;
  /** `build` a new image for this commit, or redeploy the image dev runs (infrastructure only). */
  readonly image: 'build' | 'deployed';
  readonly imageChanges: readonly string[];
  readonly infrastructureChanges: readonly string[];
}

export function planDeployment(inputs: DeploymentInputs): DeploymentPlan {
  const among = (files: readonly string[]) => {
    const set = new Set(files);
    return inputs.changedFiles.filter((file) => set.has(file));
  };
  const imageChanges = among(inputs.imageInputs);
  const infrastructureChanges = among(inputs.infrastructureInputs);
  return {
    deploy: imageChanges.length > 0 || infrastructureChanges.length > 0,
    image: imageChanges.length > 0 ? 'build' : 'deployed',
    imageChanges,
    infrastructureChanges,
  };
}

/** The plan as the job summary shows it. */
export function describePlan(plan: DeploymentPlan, range: { base: string; head: string }): string {
  const list = (files: readonly string[]) =>
    files.length === 0
      ? 'none'
      : files
          .slice(0, 20)
          .map((f) => `\`${f}\``)
          .join(', ') + (files.length > 20 ? ` and ${files.length - 20} more` : '');
  const verdict = !plan.deploy
    ? 'Nothing to deploy: no change to the image or the infrastructure.'
    : plan.image === 'build'
      ? 'Build a new image for this commit and deploy it with the infrastructure.'
      : 'Deploy the infrastructure with the image dev already runs (no new image).';
  return [
    `### Deployment plan for ${range.base.slice(0, 12)}..${range.head.slice(0, 12)}`,
    '',
    verdict,
    '',
    `- Image inputs changed: ${list(plan.imageChanges)}`,
    `- Infrastructure inputs changed: ${list(plan.infrastructureChanges)}`,
    '',
  ].join('\n');
}
