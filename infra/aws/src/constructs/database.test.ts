import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('order database (%s)', (env) => {
  const { template, config } = synthesized(env);
  const prod = env === 'prod';
  const [instance] = Object.values(resourcesOf(template, 'AWS::RDS::DBInstance'));

  it('runs PostgreSQL 17, private, in the isolated subnets', () => {
    expect(instance?.Properties).toMatchObject({
      Engine: 'postgres',
      EngineVersion: '17.9',
      PubliclyAccessible: false,
      DBName: 'orders',
    });
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcdatabaseSubnet') }]),
    });
  });

  it('encrypts storage and Performance Insights with a customer-managed key', () => {
    expect(instance?.Properties).toMatchObject({
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseStorageKey/), 'Arn'] },
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: {
        'Fn::GetAtt': [expect.stringMatching(/^DatabaseStorageKey/), 'Arn'],
      },
    });
  });

  it('forces TLS with rds.force_ssl', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres17',
      Parameters: { 'rds.force_ssl': '1' },
    });
  });

  it(
    prod
      ? 'is Multi-AZ, deletion-protected, snapshotted on delete, with 30 days of backups'
      : 'is single-AZ, disposable, with 7 days of backups',
    () => {
      expect(instance?.Properties).toMatchObject({
        MultiAZ: prod,
        DeletionProtection: prod,
        BackupRetentionPeriod: prod ? 30 : 7,
      });
      expect(instance?.DeletionPolicy).toBe(prod ? 'Snapshot' : 'Delete');
    },
  );

  it('generates credentials into order-service/db with a valid user name and rotates them', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'order-service/db',
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: '{"username":"order_service"}',
      }),
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: `rate(${config.database.rotationDays} days)` },
    });
  });

  it('admits PostgreSQL only from the pod security group and the rotation function', () => {
    const dbIngress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress')).filter(
      (rule) => JSON.stringify(rule.Properties?.['GroupId']).includes('DatabaseSecurityGroup'),
    );
    expect(
      dbIngress.map((rule) => JSON.stringify(rule.Properties?.['SourceSecurityGroupId'])).sort(),
    ).toEqual([
      expect.stringMatching(/DatabaseInstanceRotation\w*SecurityGroup/),
      expect.stringMatching(/PodSecurityGroup/),
    ]);
    for (const rule of dbIngress) {
      // The rotation rule uses the instance's endpoint port attribute, which is the same 5432.
      expect([
        5432,
        { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseInstance/), 'Endpoint.Port'] },
      ]).toContainEqual(rule.Properties?.['FromPort']);
      expect(rule.Properties).not.toHaveProperty('CidrIp');
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^PodSecurityGroup'), 'GroupId'],
      },
      FromPort: 5432,
      ToPort: 5432,
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { Port: '5432' });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Order database'),
      SecurityGroupIngress: Match.absent(),
    });
  });

  it('alarms on CPU, free storage and connections to the alarm topic', () => {
    for (const metric of ['CPUUtilization', 'FreeStorageSpace', 'DatabaseConnections']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/RDS',
        MetricName: metric,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
      });
    }
  });
});
