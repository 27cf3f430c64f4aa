import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoFile, repoRoot } from '../testing/repo-file.ts';

const runbook = repoFile('docs/operations.md');

describe('the delivery runbook (docs/operations.md)', () => {
  it('names only delivery files that exist', () => {
    const paths = [...runbook.matchAll(/tools\/delivery\/[\w./-]+\.(?:ts|sh)/g)].map((m) => m[0]);
    expect(paths.length).toBeGreaterThan(2);
    expect(paths.filter((path) => !existsSync(join(repoRoot, path)))).toEqual([]);
  });

  it('rolls back by hand with options the deploy command has', () => {
    const command =
      runbook.match(/npx node tools\/delivery\/src\/cli\/deploy\.ts[^\n]*\n?[^\n]*/)?.[0] ?? '';
    const options = [...command.matchAll(/--([\w-]+)/g)].map((m) => m[1]);
    expect(options).toEqual(['env', 'image', 'no-rollback']);
    const source = repoFile('tools/delivery/src/cli/deploy.ts');
    for (const option of options) expect(source).toMatch(new RegExp(`'?${option}'?: \\{ type:`));
  });

  it('tells the approver to read the preview before approving prod', () => {
    expect(runbook).toMatch(/Approver:\s+open the run, read the prod-preview summary/);
  });
});
