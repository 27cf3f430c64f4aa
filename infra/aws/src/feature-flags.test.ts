import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { featureFlags } from './feature-flags.ts';

// aws-cdk-lib ships the flags `cdk init` writes into a new project's cdk.json ("recommended").
const recommended = createRequire(import.meta.url)(
  'aws-cdk-lib/recommended-feature-flags.json',
) as Record<string, unknown>;

describe('CDK feature flags (cdk.json)', () => {
  it('set every flag the installed aws-cdk-lib recommends, to the recommended value', () => {
    // An aws-cdk-lib upgrade that recommends a new flag fails here until cdk.json has it.
    expect(featureFlags).toEqual(expect.objectContaining(recommended));
  });

  it('use the native IAM OIDC provider for IRSA', () => {
    expect(featureFlags['@aws-cdk/aws-eks:useNativeOidcProvider']).toBe(true);
  });
});
