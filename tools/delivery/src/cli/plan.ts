// CI plan job: does this commit deploy anything, and does it need a new image?
// Usage: node tools/delivery/src/cli/plan.ts [--base <sha>] [--head <sha>]   (defaults: NX_BASE, NX_HEAD)
import { parseArgs } from 'node:util';
import { describePlan, planDeployment } from '../plan/deployment-plan.ts';
import { changedFiles, deploymentTargets, targetInputFiles } from '../plan/nx-inputs.ts';
import { writeOutputs, writeSummary } from '../summary/github.ts';
import { repoRoot, requiredEnv, runMain } from './cli.ts';

runMain('plan', async () => {
  const { values } = parseArgs({ options: { base: { type: 'string' }, head: { type: 'string' } } });
  const base = values.base ?? requiredEnv('NX_BASE');
  const head = values.head ?? requiredEnv('NX_HEAD');
  const [changed, imageInputs, infrastructureInputs] = await Promise.all([
    changedFiles(base, head, repoRoot),
    targetInputFiles(deploymentTargets.image, repoRoot),
    targetInputFiles(deploymentTargets.infrastructure, repoRoot),
  ]);
  const plan = planDeployment({ changedFiles: changed, imageInputs, infrastructureInputs });
  await writeSummary(describePlan(plan, { base, head }));
  await writeOutputs({ deploy: String(plan.deploy), image: plan.image });
});
