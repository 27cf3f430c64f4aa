import { describe, expect, it } from 'vitest';
import { devChartProps } from '../config/dev.ts';
import type { OrderServiceChartProps } from '../order-service-chart-props.ts';
import { propsWithCdkTokens, synthChart } from '../testing/synth-chart.ts';
import { podInputsAtDeployAnnotation, podInputsHashAnnotation } from './pod-creation-inputs.ts';

function podTemplateOf(props: OrderServiceChartProps) {
  return synthChart(props).one('Deployment').spec?.template;
}

const annotationsOf = (props: OrderServiceChartProps) =>
  podTemplateOf(props)?.metadata?.annotations ?? {};

// A pod takes these in only when it is created: its security groups ("Security group policies only
// apply to newly scheduled Pods", AWS, "Use a security group policy for an Amazon EKS Pod"), the
// Fargate logging config ("Any changes to a ConfigMap are applied to new Pods only", AWS, "Start AWS
// Fargate logging for your cluster"), the IRSA role (injected into new pods) and its environment.
// Changing the pod template is what makes Kubernetes replace the pods.
describe('pods are replaced when what they take in at creation changes', () => {
  it('two synths that differ only in a pod security group id give different pod templates', () => {
    const other = { ...devChartProps, podSecurityGroupIds: ['sg-0123456789abcdef0'] };
    expect(podTemplateOf(other)).not.toEqual(podTemplateOf(devChartProps));
    expect(annotationsOf(other)[podInputsHashAnnotation]).not.toBe(
      annotationsOf(devChartProps)[podInputsHashAnnotation],
    );
  });

  it.each<[string, Partial<OrderServiceChartProps>]>([
    ['the service account', { serviceAccountName: 'order-service-v2' }],
    ['its IAM role', { serviceAccountRoleArn: 'arn:aws:iam::111111111111:role/other' }],
    ['the Fargate logging config', { fargateLoggingConfig: { 'output.conf': '[OUTPUT]\n' } }],
    ['the environment', { runtime: { ...devChartProps.runtime, logLevel: 'warn' } }],
  ])('and when only %s changes', (_input, change) => {
    expect(annotationsOf({ ...devChartProps, ...change })[podInputsHashAnnotation]).not.toBe(
      annotationsOf(devChartProps)[podInputsHashAnnotation],
    );
  });

  it('stay the same when nothing changes (no rollout on a redeploy)', () => {
    expect(podTemplateOf({ ...devChartProps })).toEqual(podTemplateOf(devChartProps));
  });

  it('carry values CloudFormation resolves at deploy time verbatim, so a replaced group rolls too', () => {
    const atDeploy = annotationsOf(propsWithCdkTokens())[podInputsAtDeployAnnotation] ?? '';
    // The pod security group, the event bus name, the region and the role ARN.
    for (const token of [
      '${Token[TOKEN.3]}',
      '${Token[TOKEN.5]}',
      '${Token[TOKEN.6]}',
      '${Token[TOKEN.7]}',
    ]) {
      expect(atDeploy).toContain(token);
    }
    expect(annotationsOf(devChartProps)[podInputsAtDeployAnnotation]).toBeUndefined();
  });

  it('hash tokens by position only, so renumbered tokens roll nothing', () => {
    const tokens = propsWithCdkTokens();
    const renumbered = { ...tokens, podSecurityGroupIds: ['${Token[TOKEN.999]}'] };
    expect(annotationsOf(renumbered)[podInputsHashAnnotation]).toBe(
      annotationsOf(tokens)[podInputsHashAnnotation],
    );
  });
});
