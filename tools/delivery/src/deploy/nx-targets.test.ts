import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoFile, repoRoot } from '../testing/repo-file.ts';

interface Target {
  readonly command?: string;
  readonly dependsOn?: unknown[];
}

const targets = (
  JSON.parse(repoFile('apps/order-service/package.json')) as {
    nx: { targets: Record<string, Target> };
  }
).nx.targets;

describe('the order-service delivery targets', () => {
  let tasks: string[] = [];
  beforeAll(async () => {
    // The task graph Nx really runs for `nx run order-service:deploy`.
    const { stdout } = await promisify(execFile)(
      'npx',
      ['nx', 'run', 'order-service:deploy', '--graph=stdout'],
      {
        cwd: repoRoot,
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
        maxBuffer: 32 << 20,
      },
    );
    tasks = Object.keys((JSON.parse(stdout) as { tasks: { tasks: object } }).tasks.tasks);
  }, 120_000);

  it('deploy runs the tests of everything it ships before it builds, pushes and deploys', () => {
    expect(tasks).toEqual(
      expect.arrayContaining([
        'order-service:test',
        'infra-aws:test',
        'infra-k8s:test',
        'order-service:container',
        'order-service:push',
        'order-service:deploy',
      ]),
    );
  });

  it('deploy is the TypeScript deploy with the rollout gate and rollback', () => {
    expect(targets['deploy']?.command).toBe('node tools/delivery/src/cli/deploy.ts');
    expect(targets['push']?.dependsOn).toEqual(['container']);
  });
});
