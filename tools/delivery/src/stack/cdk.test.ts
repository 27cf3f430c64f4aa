import { describe, expect, it } from 'vitest';
import { cdkDeployArgs, cdkDiffArgs } from './cdk.ts';

const image = { tag: 'a'.repeat(40), digest: `sha256:${'aa'.repeat(32)}` };

describe('the cdk commands a deploy runs', () => {
  it('deploys only the platform stack, by digest, without prompting', () => {
    expect(cdkDeployArgs('prod', image)).toEqual([
      'cdk',
      'deploy',
      'mallhive-order-platform-prod',
      '--exclusively',
      '--require-approval',
      'never',
      '--progress',
      'events',
      '-c',
      'env=prod',
      '-c',
      `imageTag=${image.tag}`,
      '-c',
      `imageDigest=${image.digest}`,
    ]);
  });

  it('can redeploy an image recorded by tag only (before digests were recorded)', () => {
    expect(cdkDeployArgs('dev', { tag: image.tag }).filter((a) => a.startsWith('image'))).toEqual([
      `imageTag=${image.tag}`,
    ]);
  });

  it('diffs every stack of the environment with the read-only template method, never failing on a diff', () => {
    const args = cdkDiffArgs('prod', image);
    expect(args.slice(0, 6)).toEqual(['cdk', 'diff', '--method', 'template', '--fail-on', 'never']);
    expect(args).toContain(`imageDigest=${image.digest}`);
    expect(args.some((a) => a.startsWith('mallhive-'))).toBe(false);
  });
});
