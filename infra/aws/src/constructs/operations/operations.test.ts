import { Match } from 'aws-cdk-lib/assertions';
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { environmentNames, statementsOfRole, synthesized } from '../../testing/synthesized.ts';

describe.each(environmentNames)('operations (%s)', (env) => {
  const { template, config, stack } = synthesized(env);

  it(`keeps pod logs in /aws/eks/<cluster>/order-service for ${env === 'dev' ? 30 : 365} days`, () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: `/aws/eks/${config.cluster.clusterName}/order-service`,
        RetentionInDays: config.operations.podLogRetentionDays,
      },
      DeletionPolicy: env === 'prod' ? 'Retain' : 'Delete',
    });
  });

  it('lets the pod execution role (Fargate log router) write to that group only', () => {
    const role = stack.node.findChild('Cluster').node.findChild('ServicePodExecutionRole');
    const statements = statementsOfRole(
      template,
      stack.getLogicalId(role.node.defaultChild as CfnElement),
    );
    expect(statements).toContainEqual({
      Sid: 'FargateLogRouterWrite',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PodLogsLogGroup/), 'Arn'] },
    });
  });

  it('alerts on EKS Fargate Pod Scheduled Termination through the alarm topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.eks'],
        'detail-type': ['EKS Fargate Pod Scheduled Termination'],
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^AlarmTopic') } })],
    });
  });

  it('encrypts the alarm topic and lets CloudWatch and EventBridge use its key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlarmTopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  it(env === 'prod' ? 'e-mails the on-call address' : 'has no e-mail subscription in dev', () => {
    template.resourceCountIs('AWS::SNS::Subscription', config.operations.alarmEmails.length);
  });
});
