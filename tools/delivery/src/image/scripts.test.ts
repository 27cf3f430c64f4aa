import { describe, expect, it } from 'vitest';
import { repoFile } from '../testing/repo-file.ts';

describe('the scripts behind order-service:container and order-service:push', () => {
  it('tag images with the full git SHA and refuse a dirty tree', () => {
    const tag = repoFile('tools/delivery/scripts/image-tag.sh');
    expect(tag).toContain('git rev-parse HEAD');
    expect(tag).toContain('git status --porcelain');
  });

  it('build from the repository root with the order service Dockerfile', () => {
    expect(repoFile('tools/delivery/scripts/container.sh')).toMatch(
      /docker build[\s\S]*--file apps\/order-service\/Dockerfile[\s\S]*--tag "mallhive-order-service:\$tag"/,
    );
  });

  it('push to the mallhive-order-service repository once per commit and print the digest', () => {
    const push = repoFile('tools/delivery/scripts/push.sh');
    expect(push).toContain('mallhive-order-service');
    // An image already pushed for the commit is left alone: a rebuild never replaces it.
    expect(push.indexOf('already in ECR')).toBeGreaterThan(0);
    expect(push.indexOf('already in ECR')).toBeLessThan(push.indexOf('docker push'));
    expect(push).toMatch(/docker push "\$registry\/\$repository:\$tag"/);
    expect(push).toContain("--query 'imageDetails[0].imageDigest'");
  });
});
