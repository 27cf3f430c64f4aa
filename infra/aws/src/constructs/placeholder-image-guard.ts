import { Annotations, CfnRule, Fn, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { placeholderImageTag } from '../config/shared-settings.ts';

export interface PlaceholderImageGuardProps {
  /** The tag the chart's Deployment will run. */
  readonly imageTag: string;
}

/**
 * Lets `cdk synth` run without `-c imageTag` (fresh clones, CI synth) while making `cdk deploy` of
 * that template impossible: with the placeholder tag, the template carries a CloudFormation rule that
 * fails before any resource changes, so a forgotten tag can never roll pods to an image that does not
 * exist. With a real tag the guard adds nothing.
 */
export class PlaceholderImageGuard extends Construct {
  static readonly ruleId = 'ImageTagIsNotThePlaceholder';

  constructor(scope: Construct, id: string, props: PlaceholderImageGuardProps) {
    super(scope, id);
    if (props.imageTag !== placeholderImageTag) return;
    const stack = Stack.of(this);
    new CfnRule(stack, PlaceholderImageGuard.ruleId, {
      assertions: [
        {
          assert: Fn.conditionNot(Fn.conditionContains([placeholderImageTag], props.imageTag)),
          assertDescription:
            'This template was synthesized without -c imageTag: deploy with -c imageTag=<git sha of a pushed image>, or -c workload=false for a platform-only deploy (which removes the workload).',
        },
      ],
    });
    Annotations.of(stack).addWarningV2(
      '@mallhive/infra-aws:placeholder-image-tag',
      `No -c imageTag given: the order-service Deployment uses the placeholder tag ${placeholderImageTag} and CloudFormation will refuse to deploy this template.`,
    );
  }
}
