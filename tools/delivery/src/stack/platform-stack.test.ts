import { describe, expect, it } from 'vitest';
import {
  deployedImage,
  serviceLocation,
  stackBaseline,
  type StackDescription,
} from './platform-stack.ts';

const tag = '3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e';
const digest = `sha256:${'ab'.repeat(32)}`;
const stack = (outputs: Record<string, string>, extra: Partial<StackDescription> = {}) => ({
  StackName: 'mallhive-order-platform-dev',
  StackStatus: 'UPDATE_COMPLETE',
  CreationTime: '2026-11-01T10:00:00.000Z',
  Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
  ...extra,
});

describe('reading the platform stack', () => {
  it('knows the image the stack runs from its DeployedImageTag and DeployedImageDigest outputs', () => {
    expect(deployedImage(stack({ DeployedImageTag: tag, DeployedImageDigest: digest }))).toEqual({
      tag,
      digest,
    });
    expect(deployedImage(stack({ DeployedImageTag: tag }))).toEqual({ tag });
  });

  it('knows of no image when the stack is absent, platform-only or never had a real tag', () => {
    expect(deployedImage(undefined)).toBeUndefined();
    expect(deployedImage(stack({ ClusterName: 'c' }))).toBeUndefined();
    expect(deployedImage(stack({ DeployedImageTag: '0'.repeat(40) }))).toBeUndefined();
  });

  it('finds the cluster, namespace and repository, and names a missing output', () => {
    expect(
      serviceLocation(
        stack({
          ClusterName: 'mallhive-dev',
          ServiceNamespace: 'order-service',
          RepositoryUri: 'r',
        }),
      ),
    ).toEqual({ clusterName: 'mallhive-dev', namespace: 'order-service', repositoryUri: 'r' });
    expect(() => serviceLocation(stack({ ClusterName: 'c' }))).toThrow(
      'stack mallhive-order-platform-dev has no output ServiceNamespace',
    );
  });

  it('changes its baseline whenever the stack is updated', () => {
    const before = stackBaseline(stack({}));
    const after = stackBaseline(stack({}, { LastUpdatedTime: new Date('2026-11-02T08:00:00Z') }));
    expect(before).toBe('UPDATE_COMPLETE@2026-11-01T10:00:00.000Z');
    expect(after).toBe('UPDATE_COMPLETE@2026-11-02T08:00:00.000Z');
    expect(stackBaseline(undefined)).toBe('absent');
  });
});
