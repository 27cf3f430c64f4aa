import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  connectionBudget,
  connectionsAlarmThreshold,
  rdsDefaultMaxConnections,
} from '../config/connection-budget.ts';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('order database (%s)', (env) => {
  const { template, config, json } = synthesized(env);
  const prod = env === 'prod';
  const db = config.database;
  const [instanceId, instance] = Object.entries(resourcesOf(template, 'AWS::RDS::DBInstance'))[0]!;

  it('runs PostgreSQL 17, private, in the isolated subnets', () => {
    expect(instance.Properties).toMatchObject({
      Engine: 'postgres',
      EngineVersion: '17.9',
      PubliclyAccessible: false,
      DBName: 'orders',
      DBInstanceIdentifier: `${config.cluster.clusterName}-orders`,
    });
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcdatabaseSubnet') }]),
    });
  });

  // "Turning on the Standard mode / the Advanced mode of Database Insights for Amazon RDS": AWS ends
  // the Performance Insights console on July 31, 2026 in favour of CloudWatch Database Insights;
  // Advanced mode requires 15 months (465 days) of performance data.
  it(`encrypts storage with its own key and uses Database Insights (${db.insights} mode)`, () => {
    expect(instance.Properties).toMatchObject({
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseStorageKey/), 'Arn'] },
      DatabaseInsightsMode: db.insights,
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: db.insights === 'advanced' ? 465 : 7,
      PerformanceInsightsKMSKeyId: {
        'Fn::GetAtt': [expect.stringMatching(/^DatabaseStorageKey/), 'Arn'],
      },
    });
  });

  it('forces TLS and sets max_connections explicitly', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres17',
      Parameters: { 'rds.force_ssl': '1', max_connections: String(db.maxConnections) },
    });
  });

  // "Quotas and constraints for Amazon RDS": by default max_connections is
  // LEAST({DBInstanceClassMemory/9531392}, 5000). Our explicit value stays below that and above
  // the budget, and the alarm fires at 80 % of it.
  it('holds the connection budget at replicas.max during a rollout, with the alarm at 80 %', () => {
    const budget = connectionBudget({
      maxReplicas: config.workload.replicas.max,
      poolMax: config.workload.databasePoolMax,
    });
    expect(budget.total).toBeLessThanOrEqual(db.maxConnections);
    expect(db.maxConnections).toBeLessThanOrEqual(rdsDefaultMaxConnections(db.instanceClass)!);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'DatabaseConnections',
      Threshold: connectionsAlarmThreshold(db.maxConnections),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
    expect(connectionsAlarmThreshold(db.maxConnections)).toBeGreaterThanOrEqual(budget.pools * 0.8);
  });

  it('backs up and takes maintenance in fixed, separate windows', () => {
    expect(instance.Properties).toMatchObject({
      PreferredBackupWindow: db.backupWindow,
      PreferredMaintenanceWindow: db.maintenanceWindow,
      BackupRetentionPeriod: prod ? 30 : 7,
    });
  });

  it(
    prod
      ? 'is Multi-AZ, deletion-protected and snapshotted on delete'
      : 'is single-AZ and disposable',
    () => {
      expect(instance.Properties).toMatchObject({ MultiAZ: prod, DeletionProtection: prod });
      expect(instance.DeletionPolicy).toBe(prod ? 'Snapshot' : 'Delete');
    },
  );

  // RDS creates /aws/rds/instance/<id>/<log> on its own, without retention: ours exist first.
  it('exports PostgreSQL logs to log groups with retention that exist before the instance', () => {
    for (const type of ['postgresql', 'upgrade']) {
      const [logGroupId, logGroup] =
        Object.entries(resourcesOf(template, 'AWS::Logs::LogGroup')).find(
          ([, group]) =>
            group.Properties?.['LogGroupName'] ===
            `/aws/rds/instance/${config.cluster.clusterName}-orders/${type}`,
        ) ?? [];
      expect(logGroup?.Properties?.['RetentionInDays'], type).toBe(db.logRetentionDays);
      expect(instance.DependsOn).toContain(logGroupId);
    }
    expect(instance.Properties?.['EnableCloudwatchLogsExports']).toEqual(['postgresql', 'upgrade']);
  });

  it('keeps the master user out of the service: its secret lies outside order-service/*', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: `${config.cluster.clusterName}/db-master`,
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: `{"username":"${db.masterUsername}"}`,
      }),
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseStorageKey'), 'Arn'] },
    });
    expect(`${config.cluster.clusterName}/db-master`.startsWith(config.secretPrefix)).toBe(false);
  });

  it('gives the service its own role in order-service/db, which knows the master for rotation', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'order-service/db',
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: {
          'Fn::Join': [
            '',
            [
              `{"username":"${db.applicationUsername}","dbname":"orders","masterarn":"`,
              { Ref: Match.stringLikeRegexp('^DatabaseMasterSecret') },
              '"}',
            ],
          ],
        },
      }),
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretsKey'), 'Arn'] },
    });
    expect(db.applicationUsername).not.toBe(db.masterUsername);
  });

  // Secrets Manager "multi-user rotation" alternates between two users, so the password the pods
  // hold stays valid while the other user's changes; the master rotates on its own.
  it('rotates the service role multi-user and the master single-user', () => {
    const schedules = Object.values(resourcesOf(template, 'AWS::SecretsManager::RotationSchedule'));
    const rotatedBy = (secret: RegExp) =>
      schedules.find((s) => secret.test(JSON.stringify(s.Properties?.['SecretId'])));
    expect(JSON.stringify(rotatedBy(/DatabaseApplicationSecretAttachment/)?.Properties)).toContain(
      'DatabaseInstanceApplicationRotation',
    );
    expect(JSON.stringify(rotatedBy(/DatabaseMasterSecretAttachment/)?.Properties)).toContain(
      'DatabaseInstanceRotationSingleUser',
    );
    expect(json).toContain('SecretsManagerRDSPostgreSQLRotationMultiUser');
    for (const schedule of schedules.filter((s) =>
      JSON.stringify(s.Properties).includes('Database'),
    )) {
      expect(schedule.Properties?.['RotationRules']).toEqual({
        ScheduleExpression: `rate(${db.rotationDays} days)`,
      });
    }
  });

  it('creates the service role as the master user during the deploy, before the first rotation', () => {
    const [roleId, role] = Object.entries(
      resourcesOf(template, 'Custom::ApplicationDatabaseRole'),
    )[0]!;
    expect(role.Properties).toMatchObject({
      MasterSecretArn: { Ref: expect.stringMatching(/^DatabaseMasterSecretAttachment/) },
      ApplicationSecretArn: { Ref: expect.stringMatching(/^DatabaseApplicationSecretAttachment/) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: { Variables: { NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem' } },
      VpcConfig: Match.objectLike({
        SecurityGroupIds: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseRolesSecurityGroup'), 'GroupId'] },
        ],
      }),
    });
    const multiUser = Object.entries(resourcesOf(template, 'AWS::Serverless::Application')).find(
      ([id]) => id.startsWith('DatabaseInstanceApplicationRotation'),
    );
    expect(multiUser?.[1].DependsOn).toContain(roleId);
    expect(instanceId).toBeDefined();
  });

  it('admits PostgreSQL only from the pods, the two rotation functions and the role bootstrap', () => {
    const dbIngress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress')).filter(
      (rule) => JSON.stringify(rule.Properties?.['GroupId']).includes('DatabaseSecurityGroup'),
    );
    expect(
      dbIngress.map((rule) => JSON.stringify(rule.Properties?.['SourceSecurityGroupId'])).sort(),
    ).toEqual([
      expect.stringMatching(/DatabaseInstanceApplicationRotation\w*SecurityGroup/),
      expect.stringMatching(/DatabaseInstanceRotationSingleUser\w*SecurityGroup/),
      expect.stringMatching(/DatabaseRolesSecurityGroup/),
      expect.stringMatching(/PodSecurityGroup/),
    ]);
    for (const rule of dbIngress) {
      // The rotation rules use the instance's endpoint port attribute, which is the same 5432.
      expect([
        5432,
        { 'Fn::GetAtt': [expect.stringMatching(/^DatabaseInstance/), 'Endpoint.Port'] },
      ]).toContainEqual(rule.Properties?.['FromPort']);
      expect(rule.Properties).not.toHaveProperty('CidrIp');
    }
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
