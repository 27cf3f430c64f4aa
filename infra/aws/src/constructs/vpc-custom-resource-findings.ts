import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as cr from 'aws-cdk-lib/custom-resources';

const managedPolicy = (name: string) =>
  `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`;

/**
 * Acknowledges the cdk-nag findings of a custom resource whose own function runs in the VPC (the database
 * role and Kafka topic bootstraps) and of the aws-cdk-lib provider framework that invokes it.
 * `name` says what the function is, `inVpcTo` why it runs in the VPC.
 */
export function acknowledgeVpcCustomResource(
  fn: lambda.Function,
  provider: cr.Provider,
  { name, inVpcTo }: { name: string; inVpcTo: string },
): void {
  const functionId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
  Validations.of(fn).acknowledge(
    {
      id: managedPolicy('AWSLambdaBasicExecutionRole'),
      reason: `The ${name} writes only its own CloudWatch logs with this policy.`,
    },
    {
      id: managedPolicy('AWSLambdaVPCAccessExecutionRole'),
      reason: `The ${name} runs in the VPC ${inVpcTo}; Lambda needs to manage its network interfaces.`,
    },
  );
  Validations.of(provider).acknowledge(
    {
      id: managedPolicy('AWSLambdaBasicExecutionRole'),
      reason: 'The aws-cdk-lib provider framework function writes only its own CloudWatch logs.',
    },
    {
      id: 'AwsSolutions-L1',
      reason: 'The provider framework runtime is chosen by aws-cdk-lib and updated with it.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason: `The provider framework may invoke the ${name} and its versions (Arn:*), and nothing else.`,
    },
  );
}
