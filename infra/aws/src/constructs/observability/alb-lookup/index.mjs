/* global setTimeout */
// Custom resource handler (Lambda, Node.js): finds the CloudWatch dimensions of an ALB that the AWS
// Load Balancer Controller created outside CloudFormation. Plain JavaScript because Lambda runs
// the file as it is; the logic takes its ELB client as a parameter, so it is tested without AWS.

const pollIntervalMs = 15_000;
// Lambda stops the handler at 15 minutes; give up a little earlier with a message that helps.
const deadlineMs = 13 * 60_000;

/**
 * CloudWatch's `LoadBalancer` dimension is the part of the ARN after `loadbalancer/`
 * (`app/<name>/<id>`); `TargetGroup` is the part after the last `:` (`targetgroup/<name>/<id>`).
 */
export function dimensionsOf(loadBalancerArn, targetGroupArn) {
  return {
    LoadBalancerDimension: loadBalancerArn.split(':loadbalancer/')[1],
    TargetGroupDimension: targetGroupArn.slice(targetGroupArn.lastIndexOf(':') + 1),
  };
}

/**
 * One look: the load balancer by name, then its target group carrying the controller's resource tag.
 * Returns undefined while either does not exist yet (the controller reconciles after kubectl apply).
 */
export async function lookUpOnce(elb, { loadBalancerName, tagKey, tagValue }) {
  let loadBalancer;
  try {
    const found = await elb.describeLoadBalancers({ Names: [loadBalancerName] });
    loadBalancer = found.LoadBalancers?.[0];
  } catch (error) {
    if (error?.name === 'LoadBalancerNotFoundException') return undefined;
    throw error;
  }
  if (!loadBalancer) return undefined;
  const groups = await elb.describeTargetGroups({ LoadBalancerArn: loadBalancer.LoadBalancerArn });
  const arns = (groups.TargetGroups ?? []).map((group) => group.TargetGroupArn);
  // DescribeTags takes at most 20 ARNs per call.
  for (let start = 0; start < arns.length; start += 20) {
    const tags = await elb.describeTags({ ResourceArns: arns.slice(start, start + 20) });
    const match = (tags.TagDescriptions ?? []).find((description) =>
      (description.Tags ?? []).some((tag) => tag.Key === tagKey && tag.Value === tagValue),
    );
    if (match) return dimensionsOf(loadBalancer.LoadBalancerArn, match.ResourceArn);
  }
  return undefined;
}

/** Looks until found or the deadline passes; the error names what was missing. */
export async function lookUp(
  elb,
  props,
  { sleep = defaultSleep, now = Date.now, deadline = deadlineMs } = {},
) {
  const start = now();
  for (;;) {
    const found = await lookUpOnce(elb, props);
    if (found) return found;
    if (now() - start >= deadline) {
      throw new Error(
        `No ALB "${props.loadBalancerName}" with a target group tagged ${props.tagKey}=${props.tagValue} ` +
          `after ${Math.round(deadline / 60_000)} minutes: is the Ingress applied and the Load Balancer Controller running?`,
      );
    }
    await sleep(pollIntervalMs);
  }
}

/** CloudFormation custom resource event handler (cdk custom-resources Provider, onEvent). */
export async function handler(event) {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const props = {
    loadBalancerName: event.ResourceProperties.LoadBalancerName,
    tagKey: event.ResourceProperties.TargetGroupTagKey,
    tagValue: event.ResourceProperties.TargetGroupTagValue,
  };
  const data = await lookUp(await defaultClient(), props);
  return { PhysicalResourceId: data.LoadBalancerDimension, Data: data };
}

async function defaultClient() {
  // The AWS SDK for JavaScript v3 is part of the Lambda Node.js runtime.
  const sdk = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const client = new sdk.ElasticLoadBalancingV2Client({});
  return {
    describeLoadBalancers: (input) => client.send(new sdk.DescribeLoadBalancersCommand(input)),
    describeTargetGroups: (input) => client.send(new sdk.DescribeTargetGroupsCommand(input)),
    describeTags: (input) => client.send(new sdk.DescribeTagsCommand(input)),
  };
}

function defaultSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
