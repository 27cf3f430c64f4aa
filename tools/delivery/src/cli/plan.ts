// CI plan job: does this commit deploy anything, and does it need a new image?
// Usage: node tools/delivery/src/cli/plan.ts --head <sha> [--base <sha>]
// Without --base: the commit of the last successful Deploy run (GitHub API), or, before the first
// one, Git's empty tree (everything has changed).
import { parseArgs } from 'node:util';
import { describePlan, planDeployment } from '../plan/deployment-plan.ts';
import { deployedCommits, successfulDeployRuns } from '../plan/last-deployed.ts';
import {
  changedFiles,
  deploymentTargets,
  emptyTree,
  isAncestor,
  targetInputFiles,
} from '../plan/nx-inputs.ts';
import { writeOutputs, writeSummary } from '../summary/github.ts';
import { repoRoot, runMain } from './cli.ts';

runMain('plan', async () => {
  const { values } = parseArgs({ options: { base: { type: 'string' }, head: { type: 'string' } } });
  const head = values.head;
  if (!head) throw new Error('--head <sha> is required');
  let base = values.base;
  if (!base) {
    // Newest first; skip a commit a rewritten main no longer contains.
    for (const commit of deployedCommits(await successfulDeployRuns(process.env))) {
      if (await isAncestor(commit, head, repoRoot)) {
        base = commit;
        break;
      }
    }
    base ??= emptyTree;
  }
  const [changed, imageInputs, infrastructureInputs] = await Promise.all([
    changedFiles(base, head, repoRoot),
    targetInputFiles(deploymentTargets.image, repoRoot),
    targetInputFiles(deploymentTargets.infrastructure, repoRoot),
  ]);
  const plan = planDeployment({ changedFiles: changed, imageInputs, infrastructureInputs });
  await writeSummary(describePlan(plan, { base, head }));
  await writeOutputs({ deploy: String(plan.deploy), image: plan.image, base });
});
