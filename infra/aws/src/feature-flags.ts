/**
 * CDK feature flags this app relies on. Set in code (not only cdk.json) so tests and the CLI build
 * the same templates.
 */
export const featureFlags = {
  // IRSA through the native AWS::IAM::OIDCProvider instead of the deprecated custom resource.
  '@aws-cdk/aws-eks:useNativeOidcProvider': true,
} as const;
