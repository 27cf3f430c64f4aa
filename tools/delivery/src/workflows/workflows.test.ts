import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoFile } from '../testing/repo-file.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}

interface Job {
  'runs-on': string;
  needs?: string | string[];
  environment?: string;
  services?: Record<string, { image: string; ports?: string[]; env?: Record<string, string> }>;
  env?: Record<string, string>;
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = (name: string) => parse(repoFile(`.github/workflows/${name}`)) as Workflow;
const step = (job: Job, uses: string) => job.steps.find((s) => s.uses?.startsWith(`${uses}@`));
const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));

describe('ci.yml', () => {
  const ci = workflow('ci.yml');
  const jobs = Object.values(ci.jobs);
  const job = jobs[0]!;

  it('runs on pull requests and on main, with read-only repository access', () => {
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(ci.permissions).toEqual({ contents: 'read' });
    expect(jobs).toHaveLength(1);
  });

  it('checks out the full history and lets Nx find the base of affected projects', () => {
    expect(step(job, 'actions/checkout')?.with?.['fetch-depth']).toBe(0);
    const checkout = job.steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'));
    const setShas = job.steps.findIndex((s) => s.uses?.startsWith('nrwl/nx-set-shas@'));
    expect(setShas).toBeGreaterThan(checkout);
  });

  it('uses the Node version pinned in .nvmrc (24)', () => {
    expect(step(job, 'actions/setup-node')?.with?.['node-version-file']).toBe('.nvmrc');
    expect(repoFile('.nvmrc').trim()).toBe('24');
  });

  it('provides PostgreSQL 15 and Kafka service containers to the tests', () => {
    expect(job.services?.['postgres']?.image).toBe('postgres:15');
    expect(job.services?.['postgres']?.ports).toContain('5432:5432');
    expect(job.services?.['kafka']?.image).toMatch(/^apache\/kafka:\d/);
    expect(job.env?.['DATABASE_URL']).toMatch(/^postgres:\/\/\w+:\w+@localhost:5432\/\w+$/);
    expect(job.env?.['KAFKA_BROKERS']).toBe('localhost:9092');
  });

  it('installs from the lockfile and runs every gate on affected projects', () => {
    expect(runs(job)).toContain('npm ci --no-audit --no-fund');
    expect(runs(job)).toContain('npx nx affected -t lint typecheck test build synth');
  });
});

describe('deploy.yml', () => {
  const deploy = workflow('deploy.yml');

  it('deploys on pushes to main', () => {
    expect(deploy.on['push']).toEqual({ branches: ['main'] });
  });

  it('authenticates to AWS with OIDC, never with stored keys', () => {
    expect(deploy.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(repoFile('.github/workflows/deploy.yml')).not.toMatch(/aws-access-key-id|AWS_SECRET/i);
  });

  it('deploys dev, then prod behind the production environment approval', () => {
    expect(Object.keys(deploy.jobs)).toEqual(['dev', 'prod']);
    expect(deploy.jobs['prod']?.needs).toBe('dev');
    expect(deploy.jobs['prod']?.environment).toBe('production');
  });

  it.each(['dev', 'prod'])(
    '%s: assumes the role, then builds, pushes and deploys the SHA',
    (name) => {
      const job = deploy.jobs[name]!;
      const credentials = step(job, 'aws-actions/configure-aws-credentials');
      expect(credentials?.with?.['role-to-assume']).toMatch(/^\$\{\{ vars\.\w+ \}\}$/);
      expect(job.env?.['IMAGE_TAG']).toBe('${{ github.sha }}');
      expect(job.env?.['DEPLOY_ENV']).toBe(name);
      const deployIndex = job.steps.findIndex((s) => s.run === 'npx nx run order-service:deploy');
      expect(deployIndex).toBeGreaterThan(job.steps.indexOf(credentials!));
    },
  );
});

describe('delivery scripts behind the order-service Nx targets', () => {
  it('tag images with the git SHA and refuse a dirty tree', () => {
    const tag = repoFile('tools/delivery/scripts/image-tag.sh');
    expect(tag).toContain('git rev-parse HEAD');
    expect(tag).toContain('git status --porcelain');
  });

  it('build from the repository root with the order service Dockerfile', () => {
    expect(repoFile('tools/delivery/scripts/container.sh')).toMatch(
      /docker build[\s\S]*--file apps\/order-service\/Dockerfile[\s\S]*--tag "mallhive-order-service:\$tag"/,
    );
  });

  it('push to the mallhive-order-service ECR repository', () => {
    const push = repoFile('tools/delivery/scripts/push.sh');
    expect(push).toContain('mallhive-order-service');
    expect(push).toMatch(/docker push "\$registry\/\$repository:\$tag"/);
  });

  it('deploy infrastructure and chart in one cdk deploy carrying the image tag', () => {
    expect(repoFile('tools/delivery/scripts/deploy.sh')).toMatch(
      /cdk deploy[\s\S]*-c "imageTag=\$tag"/,
    );
  });
});
