import { describe, expect, it } from 'vitest';
import { describePlan, planDeployment } from './deployment-plan.ts';

const imageInputs = [
  'apps/order-service/Dockerfile',
  'apps/order-service/src/main.ts',
  'package-lock.json',
];
const infrastructureInputs = [...imageInputs, 'infra/aws/src/app.ts', 'infra/k8s/src/index.ts'];
const plan = (...changedFiles: string[]) =>
  planDeployment({ changedFiles, imageInputs, infrastructureInputs });

describe('what a commit deploys', () => {
  it('deploys nothing for a docs-only or workflow-only commit', () => {
    expect(plan('docs/operations.md', 'README.md', '.github/workflows/ci.yml')).toMatchObject({
      deploy: false,
    });
  });

  it('builds a new image and deploys when the service changes', () => {
    expect(plan('apps/order-service/src/main.ts', 'docs/api.md')).toEqual({
      deploy: true,
      image: 'build',
      imageChanges: ['apps/order-service/src/main.ts'],
      infrastructureChanges: ['apps/order-service/src/main.ts'],
    });
  });

  it('rebuilds when the lockfile changes, since the image installs from it', () => {
    expect(plan('package-lock.json')).toMatchObject({ deploy: true, image: 'build' });
  });

  it('deploys the infrastructure with the running image when only infrastructure changes', () => {
    expect(plan('infra/aws/src/app.ts')).toEqual({
      deploy: true,
      image: 'deployed',
      imageChanges: [],
      infrastructureChanges: ['infra/aws/src/app.ts'],
    });
  });

  it('explains its decision in the job summary', () => {
    const range = { base: 'a'.repeat(40), head: 'b'.repeat(40) };
    expect(describePlan(plan('docs/x.md'), range)).toContain('Nothing to deploy');
    expect(describePlan(plan('infra/aws/src/app.ts'), range)).toMatch(
      /image dev already runs[\s\S]*Infrastructure inputs changed: `infra\/aws\/src\/app.ts`/,
    );
  });
});
