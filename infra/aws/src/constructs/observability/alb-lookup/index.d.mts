// Types of index.mjs (the Lambda handler is plain JavaScript; these let the TypeScript tests use it).

export interface AlbDimensions {
  readonly LoadBalancerDimension: string;
  readonly TargetGroupDimension: string;
}

export interface LookupProps {
  readonly loadBalancerName: string;
  readonly tagKey: string;
  readonly tagValue: string;
}

/** The three ELBv2 calls the lookup makes, shaped like the AWS SDK v3 responses. */
export interface Elbv2Reader {
  describeLoadBalancers(input: {
    Names: string[];
  }): Promise<{ LoadBalancers?: { LoadBalancerArn: string }[] }>;
  describeTargetGroups(input: {
    LoadBalancerArn: string;
  }): Promise<{ TargetGroups?: { TargetGroupArn: string }[] }>;
  describeTags(input: { ResourceArns: string[] }): Promise<{
    TagDescriptions?: { ResourceArn: string; Tags?: { Key: string; Value: string }[] }[];
  }>;
}

export function dimensionsOf(loadBalancerArn: string, targetGroupArn: string): AlbDimensions;
export function lookUpOnce(
  elb: Elbv2Reader,
  props: LookupProps,
): Promise<AlbDimensions | undefined>;
export function lookUp(
  elb: Elbv2Reader,
  props: LookupProps,
  options?: { sleep?: (ms: number) => Promise<void>; now?: () => number; deadline?: number },
): Promise<AlbDimensions>;
