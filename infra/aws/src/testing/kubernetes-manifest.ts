import { CfnResource, type Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type { Construct } from 'constructs';

/** A Kubernetes object as applied by CDK; deploy-time values appear as `tokenText(...)` markers. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/**
 * A CloudFormation value as text: literals stay as they are, intrinsics (Ref, GetAtt, ...) become
 * `<<base64url of their JSON>>`, which is safe inside a JSON string and equal for equal intrinsics.
 */
export function intrinsicText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join && join[0] === '') return join[1].map(intrinsicText).join('');
  return `<<${Buffer.from(JSON.stringify(value)).toString('base64url')}>>`;
}

/** A token of `stack` (an ARN, an id, a URI) as it appears inside decoded manifest objects. */
export function tokenText(stack: Stack, token: string): string {
  return intrinsicText(stack.resolve(token));
}

/** Logical ids of the CloudFormation resources of one type inside a construct. */
export function logicalIdsOf(stack: Stack, construct: Construct, type: string): string[] {
  return construct.node
    .findAll()
    .filter((child) => child instanceof CfnResource && child.cfnResourceType === type)
    .map((resource) => stack.getLogicalId(resource as CfnResource));
}

export const kubernetesResourceType = 'Custom::AWSCDK-EKS-KubernetesResource';

/** The objects in the `Manifest` of the manifest's custom resource, decoded from its Fn::Join. */
export function manifestObjects(
  template: Template,
  stack: Stack,
  manifest: eks.KubernetesManifest,
): KubernetesObject[] {
  const [logicalId] = logicalIdsOf(stack, manifest, kubernetesResourceType);
  const resource = template.toJSON()['Resources'][logicalId ?? ''] as {
    Properties: { Manifest: unknown };
  };
  return JSON.parse(intrinsicText(resource.Properties.Manifest)) as KubernetesObject[];
}
