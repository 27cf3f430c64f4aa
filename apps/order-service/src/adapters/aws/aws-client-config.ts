import type { Config } from '../../config/config.ts';

/** Fixed credentials; only tests use them, against a local endpoint. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * The settings every AWS SDK client of the service shares. Credentials are left to the SDK's default
 * chain, which on EKS reads the IRSA web identity token (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), so
 * no access key exists anywhere.
 */
export function awsClientConfig(
  aws: Config['aws'],
  credentials?: StaticCredentials,
): { region?: string; endpoint?: string; credentials?: StaticCredentials } {
  return {
    ...(aws.region ? { region: aws.region } : {}),
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}
