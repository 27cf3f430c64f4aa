import { describe, expect, it } from 'vitest';
import { dimensionsOf, lookUp, lookUpOnce, type Elbv2Reader } from './alb-lookup/index.mjs';

const lbArn =
  'arn:aws:elasticloadbalancing:eu-central-1:111111111111:loadbalancer/app/mallhive-dev/50dc6c495c0c9188';
const tgArn = (n: number) =>
  `arn:aws:elasticloadbalancing:eu-central-1:111111111111:targetgroup/k8s-ordersvc-${n}/73e2d6bc24d8a067`;
const props = {
  loadBalancerName: 'mallhive-dev',
  tagKey: 'ingress.k8s.aws/resource',
  tagValue: 'order-service/order-service-order-service:http',
};

/**
 * An ELB API that behaves like the AWS one for these three calls (ELB API reference:
 * DescribeLoadBalancers answers LoadBalancerNotFound for an unknown name; DescribeTags takes at most
 * 20 ARNs), with the ALB appearing only after `appearsAfter` calls.
 */
function fakeElb(
  targetGroups: number,
  ourGroup: number,
  appearsAfter = 0,
): Elbv2Reader & { tagCalls: number } {
  let lookups = 0;
  const elb = {
    tagCalls: 0,
    describeLoadBalancers: async ({ Names }: { Names: string[] }) => {
      lookups += 1;
      if (lookups <= appearsAfter || Names[0] !== 'mallhive-dev') {
        throw Object.assign(new Error('not found'), { name: 'LoadBalancerNotFoundException' });
      }
      return { LoadBalancers: [{ LoadBalancerArn: lbArn }] };
    },
    describeTargetGroups: async () => ({
      TargetGroups: Array.from({ length: targetGroups }, (_, n) => ({ TargetGroupArn: tgArn(n) })),
    }),
    describeTags: async ({ ResourceArns }: { ResourceArns: string[] }) => {
      elb.tagCalls += 1;
      if (ResourceArns.length > 20) throw new Error('ValidationError: at most 20 resource ARNs');
      return {
        TagDescriptions: ResourceArns.map((arn) => ({
          ResourceArn: arn,
          Tags: [
            { Key: 'elbv2.k8s.aws/cluster', Value: 'mallhive-dev' },
            {
              Key: 'ingress.k8s.aws/resource',
              Value:
                arn === tgArn(ourGroup) ? props.tagValue : `other/ingress-svc-${arn.length}:http`,
            },
          ],
        })),
      };
    },
  };
  return elb;
}

// The dimension formats are those of "CloudWatch metrics for your Application Load Balancer":
// LoadBalancer = app/<name>/<id> (the ARN's final part), TargetGroup = targetgroup/<name>/<id>.
describe('ALB lookup for the CloudWatch alarms', () => {
  it('turns ARNs into the LoadBalancer and TargetGroup dimensions', () => {
    expect(dimensionsOf(lbArn, tgArn(3))).toEqual({
      LoadBalancerDimension: 'app/mallhive-dev/50dc6c495c0c9188',
      TargetGroupDimension: 'targetgroup/k8s-ordersvc-3/73e2d6bc24d8a067',
    });
  });

  it("finds the order service's target group by the controller's resource tag among the group's others", async () => {
    const elb = fakeElb(45, 31);
    await expect(lookUpOnce(elb, props)).resolves.toEqual(dimensionsOf(lbArn, tgArn(31)));
    expect(elb.tagCalls).toBe(2); // ARNs 0-19, then 20-39
  });

  it('reports "not yet" while the controller has not created the ALB or the target group', async () => {
    await expect(lookUpOnce(fakeElb(1, 0, 1), props)).resolves.toBeUndefined();
    await expect(lookUpOnce(fakeElb(2, 5), props)).resolves.toBeUndefined();
  });

  it('waits until the ALB appears', async () => {
    const sleeps: number[] = [];
    const found = await lookUp(fakeElb(1, 0, 3), props, {
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(found.LoadBalancerDimension).toBe('app/mallhive-dev/50dc6c495c0c9188');
    expect(sleeps).toHaveLength(3);
  });

  it('gives up at the deadline with a message naming the ALB and the tag', async () => {
    let clock = 0;
    const lookup = lookUp(fakeElb(1, 0, 1000), props, {
      sleep: async (ms) => void (clock += ms),
      now: () => clock,
      deadline: 60_000,
    });
    await expect(lookup).rejects.toThrow(
      'No ALB "mallhive-dev" with a target group tagged ingress.k8s.aws/resource=order-service/order-service-order-service:http after 1 minutes',
    );
  });

  it('passes on errors other than "not found" (for example AccessDenied)', async () => {
    const elb = fakeElb(1, 0);
    elb.describeLoadBalancers = async () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDenied' });
    };
    await expect(lookUpOnce(elb, props)).rejects.toThrow('denied');
  });
});
