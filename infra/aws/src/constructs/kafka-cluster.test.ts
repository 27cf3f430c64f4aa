import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
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
    topicName: 'mallhive.orders.v1',
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
    const report = new AwsSolutionsChecks().validateScope(stack);
    const paths = report.violations
      .flatMap((violation) => violation.violatingResources.map((r) => r.constructPath ?? ''))
      .filter((path) => !path.startsWith('Kafka/Vpc/'));
    expect(paths).toEqual([]);
  });
});
