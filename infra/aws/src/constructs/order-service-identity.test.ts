import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { OrderPlatformStack } from '../stacks/order-platform-stack.ts';
import {
  awsSolutionsReport,
  environmentNames,
  resourcesOf,
  statementsOfRole,
  synthesized,
  synthesizedWithMsk,
  type Statement,
} from '../testing/synthesized.ts';

function serviceRoleStatements(stack: OrderPlatformStack, template: Template): Statement[] {
  const role = stack.serviceAccount.role.node.defaultChild as CfnRole;
  return statementsOfRole(template, stack.getLogicalId(role));
}

describe.each(environmentNames)('order-service IRSA identity (%s)', (env) => {
  const { stack, template, config } = synthesized(env);
  const region = config.region;
  const account = config.account;

  it('creates the service account order-service/order-service through the cluster, after its namespace', () => {
    const manifests = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource');
    const [logicalId, serviceAccount] = Object.entries(manifests).find(([, r]) =>
      JSON.stringify(r.Properties?.['Manifest']).includes(
        '\\"kind\\":\\"ServiceAccount\\",\\"metadata\\":{\\"name\\":\\"order-service\\",\\"namespace\\":\\"order-service\\"',
      ),
    ) ?? [undefined, undefined];
    expect(logicalId).toBeDefined();
    const namespaceId = stack.getLogicalId(stack.serviceNamespace.node.defaultChild as CfnElement);
    expect(serviceAccount?.DependsOn).toContain(namespaceId);
    expect(JSON.stringify(serviceAccount?.Properties?.['Manifest'])).toContain(
      'eks.amazonaws.com/role-arn',
    );
  });

  it('trusts exactly system:serviceaccount:order-service:order-service with audience sts.amazonaws.com', () => {
    const conditions = resourcesOf(template, 'Custom::AWSCDKCfnJson');
    const [conditionId] =
      Object.entries(conditions).find(([, r]) =>
        JSON.stringify(r.Properties?.['Value']).includes(
          ':sub\\":\\"system:serviceaccount:order-service:order-service\\"',
        ),
      ) ?? [];
    expect(conditionId).toBeDefined();
    const value = JSON.stringify(conditions[conditionId ?? '']?.Properties?.['Value']);
    expect(value).toContain(':aud\\":\\"sts.amazonaws.com\\"');

    template.hasResource('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRoleWithWebIdentity',
              Effect: 'Allow',
              Principal: { Federated: { Ref: Match.stringLikeRegexp('OidcProviderNative') } },
              Condition: { StringEquals: { 'Fn::GetAtt': [conditionId, 'Value'] } },
            },
          ],
        },
      },
    });
  });

  it('allows exactly: read order-service/* secrets, decrypt with their key, put events on the order bus', () => {
    expect(serviceRoleStatements(stack, template)).toEqual([
      {
        Sid: 'ReadOwnSecrets',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: `arn:aws:secretsmanager:${region}:${account}:secret:order-service/*`,
      },
      {
        Sid: 'DecryptOwnSecrets',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SecretsKey/), 'Arn'] },
      },
      {
        Sid: 'PublishOrderEvents',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EventsBus/), 'Arn'] },
      },
    ]);
  });

  it('grants no wildcard action', () => {
    const actions = serviceRoleStatements(stack, template).flatMap((s) => [s.Action].flat());
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });
});

describe('order-service identity with MSK Serverless enabled', () => {
  const { stack, template } = synthesizedWithMsk('prod');

  const kafka = serviceRoleStatements(stack, template).filter((s) =>
    [s.Action].flat().some((a) => a.startsWith('kafka-cluster:')),
  );
  const actionsOn = (pattern: RegExp) =>
    kafka.filter((s) => pattern.test(JSON.stringify(s.Resource))).flatMap((s) => [s.Action].flat());
  const granted = new Set(kafka.flatMap((s) => [s.Action].flat()));

  // MSK, "Common use cases for client authorization policy": "Produce data idempotently" needs
  // Connect, DescribeTopic, WriteData, WriteDataIdempotently; "Consume data" needs Connect,
  // DescribeTopic, DescribeGroup, AlterGroup, ReadData. The kafkajs producer is idempotent.
  it('grants exactly what MSK lists for an idempotent producer and a consumer', () => {
    const producer = ['Connect', 'DescribeTopic', 'WriteData', 'WriteDataIdempotently'];
    const consumer = ['Connect', 'DescribeTopic', 'DescribeGroup', 'AlterGroup', 'ReadData'];
    expect([...granted].sort()).toEqual(
      [...new Set([...producer, ...consumer])].map((a) => `kafka-cluster:${a}`).sort(),
    );
  });

  // "Semantics of IAM authorization policy actions and resources": Connect and WriteDataIdempotently
  // act on the cluster, topic actions on a topic, group actions on a group.
  it('grants each action on its resource: cluster, the two topics, the consumer group', () => {
    expect(actionsOn(/^\{"Fn::GetAtt":\["KafkaCluster\w*","Arn"\]\}$/).sort()).toEqual([
      'kafka-cluster:Connect',
      'kafka-cluster:WriteDataIdempotently',
    ]);
    expect(actionsOn(/:topic\/.*\/mallhive\.orders\.v1/).sort()).toEqual([
      'kafka-cluster:DescribeTopic',
      'kafka-cluster:WriteData',
    ]);
    expect(actionsOn(/:topic\/.*\/mallhive\.payments\.results\.v1/).sort()).toEqual([
      'kafka-cluster:DescribeTopic',
      'kafka-cluster:ReadData',
    ]);
    expect(actionsOn(/:group\/.*\/order-service-payment-results/).sort()).toEqual([
      'kafka-cluster:AlterGroup',
      'kafka-cluster:DescribeGroup',
    ]);
  });

  it('starts the service only after its topics exist', () => {
    const [workload] =
      Object.entries(resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')).find(([id]) =>
        id.includes('OrderServiceChart'),
      ) ?? [];
    const [topics] = Object.keys(resourcesOf(template, 'Custom::KafkaTopics'));
    expect(
      resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')[workload ?? '']?.DependsOn,
    ).toContain(topics);
  });

  it('creates an IAM-authenticated serverless cluster reachable on 9098 from the pods only', () => {
    template.hasResourceProperties('AWS::MSK::ServerlessCluster', {
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 9098,
      ToPort: 9098,
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^PodSecurityGroup'), 'GroupId'],
      },
    });
  });

  it('creates the order-service/kafka secret empty, for SASL credentials', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'order-service/kafka',
      GenerateSecretString: Match.absent(),
      SecretString: Match.absent(),
    });
  });

  it('still passes cdk-nag with MSK enabled', () => {
    expect(awsSolutionsReport(stack).violations).toEqual([]);
  });
});
