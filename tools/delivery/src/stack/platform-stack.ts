import type { ImageVersion } from '../image/image-ref.ts';

/** The parts of CloudFormation's DescribeStacks answer the delivery tools read. */
export interface StackDescription {
  readonly StackName?: string;
  readonly StackStatus?: string;
  readonly CreationTime?: Date | string;
  readonly LastUpdatedTime?: Date | string;
  readonly Outputs?: readonly { readonly OutputKey?: string; readonly OutputValue?: string }[];
}

/** Where the pipeline deploys: infrastructure and chart in one stack per environment. */
export function platformStackName(env: string): string {
  return `mallhive-order-platform-${env}`;
}

/** Synth without -c imageTag uses this tag; such a template was never deployed with an image. */
const placeholderImageTag = '0'.repeat(40);

export function outputsOf(stack: StackDescription): Record<string, string> {
  return Object.fromEntries(
    (stack.Outputs ?? []).flatMap((o) =>
      o.OutputKey && o.OutputValue !== undefined ? [[o.OutputKey, o.OutputValue]] : [],
    ),
  );
}

/** The image the stack's Deployment runs, as recorded by its outputs (digest since issue 13). */
export function deployedImage(
  stack: StackDescription | undefined,
): Partial<ImageVersion> | undefined {
  if (!stack) return undefined;
  const outputs = outputsOf(stack);
  const tag = outputs['DeployedImageTag'];
  if (!tag || tag === placeholderImageTag) return undefined;
  const digest = outputs['DeployedImageDigest'];
  return digest ? { tag, digest } : { tag };
}

export interface ServiceLocation {
  readonly clusterName: string;
  readonly namespace: string;
  readonly repositoryUri: string;
}

/** Where the service runs, from the stack's exported outputs. */
export function serviceLocation(stack: StackDescription): ServiceLocation {
  const outputs = outputsOf(stack);
  const need = (key: string) => {
    const value = outputs[key];
    if (!value) throw new Error(`stack ${stack.StackName} has no output ${key}`);
    return value;
  };
  return {
    clusterName: need('ClusterName'),
    namespace: need('ServiceNamespace'),
    repositoryUri: need('RepositoryUri'),
  };
}

/**
 * What the stack looked like when a diff was computed: a deploy between the preview and the
 * approved deploy changes it, and then the approved diff no longer describes what would happen.
 */
export function stackBaseline(stack: StackDescription | undefined): string {
  if (!stack) return 'absent';
  const at = stack.LastUpdatedTime ?? stack.CreationTime;
  const when = at instanceof Date ? at.toISOString() : (at ?? 'unknown');
  return `${stack.StackStatus ?? 'UNKNOWN'}@${when}`;
}
