import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeOutputs, writeSummary } from './github.ts';

describe('reporting to GitHub Actions', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('appends to the job summary and the step outputs the runner gives', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gha-'));
    process.env['GITHUB_STEP_SUMMARY'] = join(dir, 'summary.md');
    process.env['GITHUB_OUTPUT'] = join(dir, 'output');
    await writeSummary('### one');
    await writeSummary('### two');
    await writeOutputs({ digest: 'sha256:1', tag: 'abc' });
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toBe('### one\n### two\n');
    expect(await readFile(join(dir, 'output'), 'utf8')).toBe('digest=sha256:1\ntag=abc\n');
  });

  it('refuses a multi-line output, which would corrupt the output file', async () => {
    await expect(writeOutputs({ evil: 'a\nother=b' })).rejects.toThrow(
      'output evil must be one line',
    );
  });
});
