import { Match } from 'aws-cdk-lib/assertions';
import { describe, it } from 'vitest';
import { environmentNames, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('order event bus (%s)', (env) => {
  const { template, config } = synthesized(env);

  it('is named mallhive-orders and archived for 30 days', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'mallhive-orders' });
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsBus'), 'Arn'] },
      RetentionDays: 30,
    });
  });

  it('copies order events to a consumer queue, with a dead-letter queue for failed deliveries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^EventsBus') },
      EventPattern: { source: [config.events.orderEventSource] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsConsumerQueue'), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsRuleDeadLetterQueue'), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
        }),
      ],
    });
  });

  it('gives the consumer queue its own dead-letter queue and encrypts every queue', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: {
          'Fn::GetAtt': [Match.stringLikeRegexp('^EventsConsumerDeadLetterQueue'), 'Arn'],
        },
        maxReceiveCount: 5,
      },
    });
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('creates no Kafka cluster while MSK Serverless is off', () => {
    template.resourceCountIs('AWS::MSK::ServerlessCluster', 0);
  });
});
