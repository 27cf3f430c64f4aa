import { Stack, Validations } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';

/**
 * Acknowledges the cdk-nag findings on the stack-wide Lambda that runs every `AwsCustomResource`
 * (created by aws-cdk-lib with the first one). Call after creating an AwsCustomResource.
 */
export function acknowledgeAwsCustomResourceHandler(scope: Construct): void {
  const handler = Stack.of(scope).node.tryFindChild(
    `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`,
  );
  if (!handler) return;
  Validations.of(handler).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The aws-cdk-lib AwsCustomResource handler only writes its own CloudWatch logs with this policy.',
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'Runtime of the AwsCustomResource handler is chosen by aws-cdk-lib and updated with it.',
    },
  );
}
