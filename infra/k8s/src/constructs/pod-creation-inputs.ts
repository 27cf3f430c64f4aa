import { createHash } from 'node:crypto';

/**
 * What a pod picks up only when it is created, so that changing any of it must replace the pods:
 * its security groups (SecurityGroupPolicy), its service account and IAM role (IRSA injects the role
 * into new pods), the cluster's Fargate logging config and its environment (read at container start).
 */
export interface PodCreationInputs {
  readonly securityGroupIds: readonly string[];
  readonly serviceAccountName: string;
  readonly serviceAccountRoleArn: string;
  readonly fargateLoggingConfig: Readonly<Record<string, string>>;
  readonly environment: Readonly<Record<string, string>>;
}

const cdkToken = /\$\{Token\[[^\]]+\]\}/g;

export const podInputsHashAnnotation = 'mallhive.com/pod-inputs-hash';
export const podInputsAtDeployAnnotation = 'mallhive.com/pod-inputs-at-deploy';

/**
 * Pod-template annotations that change whenever a pod-creation input changes, so Kubernetes rolls the
 * Deployment. Literal inputs go into a hash. Values CloudFormation resolves at deploy time (CDK tokens
 * such as a security group id or a role ARN) cannot be hashed here, so they are copied verbatim into
 * a second annotation, which CloudFormation fills in: a replaced security group changes the template
 * too. Tokens are left out of the hash, so an unrelated change to token numbering rolls nothing.
 */
export function podCreationAnnotations(inputs: PodCreationInputs): Record<string, string> {
  const text = JSON.stringify(inputs);
  const hash = createHash('sha256')
    .update(text.replace(cdkToken, '${deploy-time}'))
    .digest('hex')
    .slice(0, 16);
  const atDeploy = [...new Set(text.match(cdkToken) ?? [])];
  return {
    [podInputsHashAnnotation]: hash,
    ...(atDeploy.length > 0 ? { [podInputsAtDeployAnnotation]: atDeploy.join(' ') } : {}),
  };
}
