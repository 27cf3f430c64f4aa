import { describe, expect, it } from 'vitest';
import { formatImageVersion, parseImageVersion, pinnedReference } from './image-ref.ts';

const tag = '3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e';
const digest = `sha256:${'ab'.repeat(32)}`;

describe('naming an image', () => {
  it('pins the repository to the digest, the form every environment deploys', () => {
    expect(pinnedReference({ repository: '1.dkr.ecr.eu-central-1.amazonaws.com/r', digest })).toBe(
      `1.dkr.ecr.eu-central-1.amazonaws.com/r@${digest}`,
    );
  });

  it('reads and writes <git sha>@<digest>, as a rollback by hand names it', () => {
    expect(parseImageVersion(`${tag}@${digest}`)).toEqual({ tag, digest });
    expect(formatImageVersion({ tag, digest })).toBe(`${tag}@${digest}`);
  });

  it.each([
    [tag, /must look like <git sha>@sha256/],
    [`${tag}@sha256:abc`, /image digest "sha256:abc" is not an image digest/],
    [`main@${digest}`, /image tag "main" is not a full git SHA/],
    [`${tag}@${digest}@${digest}`, /must look like/],
  ])('refuses %j with a message that says what is wrong', (value, message) => {
    expect(() => parseImageVersion(value)).toThrow(message);
  });
});
