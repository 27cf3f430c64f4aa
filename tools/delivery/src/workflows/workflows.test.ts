import { describe, expect, it } from 'vitest';
import { repoFile } from '../testing/repo-file.ts';
import { job, runs, stepIndex, steps, usesOf, workflow, type Job } from '../testing/workflow.ts';

describe('ci.yml', () => {
  const ci = workflow('ci.yml');
  const jobs = Object.values(ci.jobs);
  const only = jobs[0]!;

  it('runs on pull requests and on main, with read-only repository access', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(jobs).toHaveLength(1);
  });

  it('checks out the full history and lets Nx find the base of affected projects', () => {
    expect(usesOf(only, 'actions/checkout')?.with?.['fetch-depth']).toBe(0);
    expect(stepIndex(only, { uses: 'nrwl/nx-set-shas' })).toBeGreaterThan(
      stepIndex(only, { uses: 'actions/checkout' }),
    );
  });

  it('uses the Node version pinned in .nvmrc (24)', () => {
    expect(usesOf(only, 'actions/setup-node')?.with?.['node-version-file']).toBe('.nvmrc');
    expect(repoFile('.nvmrc').trim()).toBe('24');
  });

  it('provides PostgreSQL 15 and Kafka service containers to the tests', () => {
    expect(only.services?.['postgres']?.image).toBe('postgres:15');
    expect(only.services?.['postgres']?.ports).toContain('5432:5432');
    expect(only.services?.['kafka']?.image).toMatch(/^apache\/kafka:\d/);
    expect(only.env?.['DATABASE_URL']).toMatch(/^postgres:\/\/\w+:\w+@localhost:5432\/\w+$/);
    expect(only.env?.['KAFKA_BROKERS']).toBe('localhost:9092');
  });

  it('installs from the lockfile and runs every gate on affected projects', () => {
    expect(runs(only)).toContain('npm ci --no-audit --no-fund');
    expect(runs(only)).toContain('npx nx affected -t lint typecheck test build synth');
  });
});

describe('deploy.yml', () => {
  const text = repoFile('.github/workflows/deploy.yml');
  const deploy = workflow('deploy.yml');
  const jobs = deploy.jobs;
  const deployJobs = ['dev', 'prod'] as const;
  const awsJobs = ['build', 'dev', 'prod-preview', 'prod'] as const;
  const needs = (name: string) => [job(deploy, name).needs ?? []].flat();
  const deployStep = (j: Job) =>
    stepIndex(j, { run: 'npx nx run order-service:deploy --excludeTaskDependencies' });

  describe('only what passed is deployed', () => {
    it('runs only when CI completes on main: no push or manual trigger can deploy a red commit', () => {
      expect(deploy.on).toEqual({
        workflow_run: { workflows: ['CI'], types: ['completed'], branches: ['main'] },
      });
      expect(workflow('ci.yml').name).toBe('CI');
    });

    it('goes on only after a green CI run of a push to main in this repository', () => {
      const condition = job(deploy, 'plan').if ?? '';
      expect(condition).toContain("github.event.workflow_run.conclusion == 'success'");
      expect(condition).toContain("github.event.workflow_run.event == 'push'");
      expect(condition).toContain(
        'github.event.workflow_run.head_repository.full_name == github.repository',
      );
    });

    it('hangs every other job off that plan', () => {
      for (const name of Object.keys(jobs).filter((n) => n !== 'plan')) {
        expect(needs(name), name).toContain('plan');
      }
    });

    it('checks out the very commit CI tested, never the newer tip of main (github.sha)', () => {
      expect(deploy.env?.['COMMIT']).toBe('${{ github.event.workflow_run.head_sha }}');
      for (const [name, j] of Object.entries(jobs)) {
        expect(usesOf(j, 'actions/checkout')?.with?.['ref'], name).toBe('${{ env.COMMIT }}');
      }
      expect(text).not.toMatch(/\$\{\{[^}]*github\.sha/);
    });

    it('deploys nothing when the plan finds no change to the image or the infrastructure', () => {
      expect(job(deploy, 'build').if).toBe("needs.plan.outputs.deploy == 'true'");
      for (const name of ['dev', 'prod-preview', 'prod']) expect(needs(name)).toContain('build');
      const plan = job(deploy, 'plan');
      expect(usesOf(plan, 'actions/checkout')?.with?.['fetch-depth']).toBe(0);
      expect(runs(plan)).toEqual([
        'npm ci --no-audit --no-fund',
        'node tools/delivery/src/cli/plan.ts --head "$COMMIT"',
      ]);
      expect(plan.permissions).toEqual({ contents: 'read', actions: 'read' });
      expect(steps(plan).find((s) => s.id === 'plan')?.env).toEqual({
        GITHUB_TOKEN: '${{ github.token }}',
      });
    });

    it('names each run after the commit it deploys, which the next plan compares against', () => {
      expect(deploy['run-name']).toBe('Deploy ${{ github.event.workflow_run.head_sha }}');
    });
  });

  describe('build once, promote by digest', () => {
    const build = job(deploy, 'build');

    it('builds and pushes in one job only, and only when the image inputs changed', () => {
      const builders = Object.entries(jobs).filter(([, j]) =>
        runs(j).some((r) => /order-service:(push|container)|docker (build|push)/.test(r)),
      );
      expect(builders.map(([name]) => name)).toEqual(['build']);
      expect(steps(build).find((s) => s.run === 'npx nx run order-service:push')?.if).toBe(
        "needs.plan.outputs.image == 'build'",
      );
      expect(build.env?.['IMAGE_TAG']).toBe('${{ github.event.workflow_run.head_sha }}');
    });

    it('hands on the digest it pushed (or dev already runs) as the job output', () => {
      expect(build.outputs).toEqual({
        tag: '${{ steps.built.outputs.tag || steps.deployed.outputs.tag }}',
        digest: '${{ steps.built.outputs.digest || steps.deployed.outputs.digest }}',
      });
      expect(steps(build).find((s) => s.id === 'built')?.run).toBe(
        'node tools/delivery/src/cli/locate-image.ts --env dev --built "$IMAGE_TAG"',
      );
      expect(steps(build).find((s) => s.id === 'deployed')?.run).toBe(
        'node tools/delivery/src/cli/locate-image.ts --env dev --deployed',
      );
    });

    it.each(['dev', 'prod-preview', 'prod'])(
      '%s gets that digest and that tag from build',
      (name) => {
        expect(job(deploy, name).env).toMatchObject({
          IMAGE_TAG: '${{ needs.build.outputs.tag }}',
          IMAGE_DIGEST: '${{ needs.build.outputs.digest }}',
        });
      },
    );

    it.each(deployJobs)(
      '%s deploys that digest with the Nx deploy target, building nothing',
      (name) => {
        const j = job(deploy, name);
        expect(deployStep(j)).toBeGreaterThan(0);
        expect(runs(j).filter((r) => r.includes('nx run'))).toEqual([
          'npx nx run order-service:deploy --excludeTaskDependencies',
        ]);
        expect(job(deploy, name).env?.['DEPLOY_ENV']).toBe(name);
      },
    );

    it("waits for prod's copy of the digest (replication) instead of building one for prod", () => {
      const preview = job(deploy, 'prod-preview');
      expect(steps(preview).find((s) => s.id === 'image')?.run).toBe(
        'node tools/delivery/src/cli/locate-image.ts --env prod --tag "$IMAGE_TAG" --digest "$IMAGE_DIGEST" --wait 15m',
      );
    });
  });

  describe('the approver sees the change', () => {
    const preview = job(deploy, 'prod-preview');
    const prod = job(deploy, 'prod');

    it('publishes the cdk diff and the Kubernetes manifest diff before prod waits for approval', () => {
      expect(needs('prod')).toEqual(expect.arrayContaining(['dev', 'prod-preview']));
      expect(needs('prod-preview')).not.toContain('prod');
      expect(steps(preview).find((s) => s.id === 'preview')?.run).toBe(
        'node tools/delivery/src/cli/preview.ts --env prod --tag "$IMAGE_TAG" --digest "$IMAGE_DIGEST" --out preview',
      );
      expect(usesOf(preview, 'actions/upload-artifact')?.with?.['path']).toBe('preview/');
    });

    it('computes the preview in an environment without reviewers, so it never waits for the approval', () => {
      expect(preview.environment).toBe('prod-preview');
      expect(prod.environment).toBe('prod');
    });

    it('refuses to deploy if prod changed after the approved diff was computed', () => {
      expect(preview.outputs).toEqual({ baseline: '${{ steps.preview.outputs.baseline }}' });
      expect(prod.env?.['EXPECT_STACK_BASELINE']).toBe(
        '${{ needs.prod-preview.outputs.baseline }}',
      );
    });
  });

  describe('supply chain', () => {
    const build = job(deploy, 'build');

    it('makes a CycloneDX SBOM from the lockfile and attaches it to the run', () => {
      const sbom = stepIndex(build, { run: 'sh tools/delivery/scripts/sbom.sh sbom.cdx.json' });
      const upload = stepIndex(build, { uses: 'actions/upload-artifact' });
      expect(sbom).toBeGreaterThan(0);
      expect(upload).toBeGreaterThan(sbom);
      expect(usesOf(build, 'actions/upload-artifact')?.with?.['path']).toBe('sbom.cdx.json');
    });

    it('signs the pushed digest keylessly with GitHub OIDC and attests the SBOM to it', () => {
      expect(build.permissions?.['id-token']).toBe('write');
      const sign = steps(build).find((s) => s.run?.includes('cosign sign'));
      expect(sign?.env?.['IMAGE_REF']).toBe('${{ steps.built.outputs.reference }}');
      expect(sign?.run).toContain('cosign sign --yes "$IMAGE_REF"');
      expect(sign?.run).toContain(
        'cosign attest --yes --type cyclonedx --predicate sbom.cdx.json "$IMAGE_REF"',
      );
      expect(stepIndex(build, { run: 'cosign sign' })).toBeGreaterThan(
        stepIndex(build, { run: 'npx nx run order-service:push' }),
      );
    });

    it('pins cosign: the installer release and the cosign release', () => {
      for (const j of Object.values(jobs)) {
        const installer = usesOf(j, 'sigstore/cosign-installer');
        if (!installer) continue;
        expect(installer.uses).toBe('sigstore/cosign-installer@v4.1.2');
        expect(installer.with?.['cosign-release']).toMatch(/^v3\.\d+\.\d+$/);
      }
    });

    it.each(['dev', 'prod-preview', 'prod'])(
      "%s verifies the signature (this workflow on main, GitHub's issuer) before using the digest",
      (name) => {
        const j = job(deploy, name);
        const verify = stepIndex(j, { run: 'cosign verify' });
        expect(verify).toBeGreaterThan(0);
        expect(steps(j)[verify]?.run).toContain(
          'cosign verify --certificate-identity "$SIGNER_IDENTITY" --certificate-oidc-issuer "$SIGNER_ISSUER" "${{ steps.image.outputs.reference }}"',
        );
        const uses = name === 'prod-preview' ? stepIndex(j, { run: 'preview.ts' }) : deployStep(j);
        expect(uses).toBeGreaterThan(verify);
      },
    );

    it('accepts only signatures made by this deploy workflow on main', () => {
      expect(deploy.env).toMatchObject({
        SIGNER_IDENTITY:
          'https://github.com/${{ github.repository }}/.github/workflows/deploy.yml@refs/heads/main',
        SIGNER_ISSUER: 'https://token.actions.githubusercontent.com',
      });
    });

    it.each(['prod-preview', 'prod'])(
      '%s blocks a critical scan finding before going on',
      (name) => {
        const j = job(deploy, name);
        const gate = stepIndex(j, {
          run: 'node tools/delivery/src/cli/scan-gate.ts --env prod --digest "$IMAGE_DIGEST"',
        });
        expect(gate).toBeGreaterThan(0);
        const next = name === 'prod' ? deployStep(j) : stepIndex(j, { run: 'preview.ts' });
        expect(next).toBeGreaterThan(gate);
      },
    );
  });

  describe('identity: GitHub OIDC, no stored keys', () => {
    it('grants the token no write access by default and id-token only where AWS is used', () => {
      expect(deploy.permissions).toEqual({ contents: 'read' });
      for (const [name, j] of Object.entries(jobs)) {
        const wantsToken = (awsJobs as readonly string[]).includes(name);
        expect(j.permissions?.['id-token'], name).toBe(wantsToken ? 'write' : undefined);
      }
    });

    it.each(awsJobs)("%s assumes its GitHub environment's role, never with keys", (name) => {
      const j = job(deploy, name);
      const credentials = usesOf(j, 'aws-actions/configure-aws-credentials');
      expect(credentials?.with).toEqual({
        'role-to-assume': '${{ vars.AWS_ROLE_ARN }}',
        'aws-region': '${{ vars.AWS_REGION }}',
      });
      // The bootstrap stack's roles trust repo:<repo>:environment:<name> and nothing else.
      expect(j.environment).toBe(
        { build: 'dev', dev: 'dev', 'prod-preview': 'prod-preview', prod: 'prod' }[name],
      );
    });

    it('holds no AWS secret anywhere', () => {
      expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\./i);
    });
  });

  // "Control the concurrency of workflows and jobs" (GitHub docs): at most one running and one
  // pending job per group; a newer pending job replaces an older one.
  describe('one deploy at a time per environment', () => {
    it('has no workflow-wide concurrency group, which would let a waiting prod approval block dev', () => {
      expect(deploy.concurrency).toBeUndefined();
    });

    it.each(deployJobs)('%s deploys in its own group and is never cancelled half-way', (name) => {
      expect(job(deploy, name).concurrency).toEqual({
        group: `deploy-${name}`,
        'cancel-in-progress': false,
      });
    });

    it.each(deployJobs)(
      '%s runs where its cluster API is reachable (a runner in its VPC)',
      (name) => {
        expect(job(deploy, name)['runs-on']).toEqual(['self-hosted', 'linux', `mallhive-${name}`]);
      },
    );
  });
});
