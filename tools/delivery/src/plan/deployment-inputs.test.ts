import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../testing/repo-file.ts';
import { planDeployment } from './deployment-plan.ts';
import { deploymentTargets, targetInputFiles } from './nx-inputs.ts';

// The real project graph: the same `nx show target inputs` the plan job runs.
describe('what Nx says a deploy depends on', () => {
  let imageInputs: string[] = [];
  let infrastructureInputs: string[] = [];
  beforeAll(async () => {
    [imageInputs, infrastructureInputs] = await Promise.all([
      targetInputFiles(deploymentTargets.image, repoRoot),
      targetInputFiles(deploymentTargets.infrastructure, repoRoot),
    ]);
  }, 120_000);

  it('builds the image from the service, its Dockerfile, the lockfile and .dockerignore', () => {
    expect(imageInputs).toEqual(
      expect.arrayContaining([
        'apps/order-service/Dockerfile',
        'apps/order-service/src/main.ts',
        'apps/order-service/migrations/1764000000000_orders.sql',
        'package-lock.json',
        '.dockerignore',
      ]),
    );
  });

  it('does not rebuild the image for tests, benchmarks, docs, workflows or infrastructure', () => {
    const notInputs = imageInputs.filter(
      (file) =>
        file.endsWith('.test.ts') ||
        file.includes('/bench/') ||
        file.startsWith('docs/') ||
        file.startsWith('.github/') ||
        file.startsWith('infra/') ||
        file.startsWith('tools/'),
    );
    expect(notInputs).toEqual([]);
  });

  it('synthesizes the infrastructure from infra/aws and the chart in infra/k8s, not their tests', () => {
    expect(infrastructureInputs).toEqual(
      expect.arrayContaining(['infra/aws/src/app.ts', 'infra/k8s/src/order-service-chart.ts']),
    );
    expect(infrastructureInputs.filter((file) => file.endsWith('.test.ts'))).toEqual([]);
  });

  it('deploys nothing for a commit that touches only docs, workflows and the delivery tooling', () => {
    const changedFiles = [
      'docs/operations.md',
      'README.md',
      '.github/workflows/deploy.yml',
      'tools/delivery/src/rollout/rollout-verdict.ts',
    ];
    expect(planDeployment({ changedFiles, imageInputs, infrastructureInputs }).deploy).toBe(false);
  });
});
