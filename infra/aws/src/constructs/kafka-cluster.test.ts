import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { KafkaCluster } from './kafka-cluster.ts';

function kafkaStack() {
  const stack = new Stack(new App(), 'Kafka', {
    env: { account: '111111111111', region: 'eu-central-1' },
  });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const kafka = new KafkaCluster(stack, 'Kafka', {
    clusterName: 'mallhive-dev-orders',
    vpc,
    privateSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    topics: [
      { name: 'mallhive.orders.v1', partitions: 6, retentionHours: 168 },
      { name: 'mallhive.payments.results.v1', partitions: 6, retentionHours: 168 },
    ],
  });
  return { stack, kafka, template: Template.fromStack(stack) };
}

describe('MSK Serverless bootstrap brokers', () => {
  const { stack, kafka, template } = kafkaStack();

  it('are read at deploy time with GetBootstrapBrokers (CloudFormation has no attribute for them)', () => {
    const lookups = Object.values(template.findResources('Custom::AWS'));
    expect(lookups).toHaveLength(1);
    const create = JSON.stringify(lookups[0]?.['Properties']?.['Create']);
    expect(create).toContain('\\"service\\":\\"Kafka\\",\\"action\\":\\"getBootstrapBrokers\\"');
    expect(create).toContain('\\"outputPaths\\":[\\"BootstrapBrokerStringSaslIam\\"]');
    expect(stack.resolve(kafka.bootstrapBrokers)).toEqual({
      'Fn::GetAtt': [
        expect.stringMatching(/^KafkaBootstrapBrokers/),
        'BootstrapBrokerStringSaslIam',
      ],
    });
  });

  it('may only be read for this cluster', () => {
    const clusterArn = stack.resolve(kafka.clusterArn) as unknown;
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy['Properties']['PolicyDocument']['Statement'] as unknown[],
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'kafka:GetBootstrapBrokers', Resource: clusterArn }),
    );
  });

  it('add no unacknowledged cdk-nag finding (the test VPC aside)', () => {
    expect(kafka.topics).toBeDefined();
    const report = new AwsSolutionsChecks().validateScope(stack);
    const paths = report.violations
      .flatMap((violation) => violation.violatingResources.map((r) => r.constructPath ?? ''))
      .filter((path) => !path.startsWith('Kafka/Vpc/'));
    expect(paths).toEqual([]);
  });
});

// "Topic Operations" (MSK): the topic APIs are "not available for MSK Serverless clusters", and
// Serverless creates no topic on first use; the Kafka admin protocol with IAM authentication is left.
describe('MSK Serverless topics', () => {
  const { template } = kafkaStack();

  it('are created during the deploy with the stated partitions and retention', () => {
    const [topics] = Object.values(template.findResources('Custom::KafkaTopics'));
    expect(topics?.['Properties']).toMatchObject({
      BootstrapBrokers: {
        'Fn::GetAtt': [
          expect.stringMatching(/^KafkaBootstrapBrokers/),
          'BootstrapBrokerStringSaslIam',
        ],
      },
      Topics: [
        { name: 'mallhive.orders.v1', partitions: 6, retentionMs: 604_800_000 },
        { name: 'mallhive.payments.results.v1', partitions: 6, retentionMs: 604_800_000 },
      ],
    });
  });

  // "Common use cases for client authorization policy": create a topic (Connect, CreateTopic),
  // alter it (DescribeTopic, AlterTopic), update its configuration (the dynamic configuration pair).
  it('may manage these two topics and nothing else', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy['Properties']['PolicyDocument']['Statement'] as Record<string, unknown>[],
    );
    const kafka = statements.filter((s) => JSON.stringify(s['Action']).includes('kafka-cluster:'));
    expect(kafka.map((s) => [s['Action']].flat().sort())).toEqual([
      ['kafka-cluster:Connect'],
      [
        'kafka-cluster:AlterTopic',
        'kafka-cluster:AlterTopicDynamicConfiguration',
        'kafka-cluster:CreateTopic',
        'kafka-cluster:DescribeTopic',
        'kafka-cluster:DescribeTopicDynamicConfiguration',
      ],
    ]);
    const topicResources = JSON.stringify(kafka[1]?.['Resource']);
    expect(topicResources).toContain('/mallhive.orders.v1');
    expect(topicResources).toContain('/mallhive.payments.results.v1');
  });

  it('reaches the brokers on 9098 and nowhere else', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'MSK topic bootstrap: Kafka (IAM) only',
      SecurityGroupEgress: Match.absent(),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      FromPort: 9098,
      ToPort: 9098,
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KafkaTopicsSecurityGroup'), 'GroupId'] },
    });
  });
});
