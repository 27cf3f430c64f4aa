import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { awsSolutionsReport, environmentNames, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('the %s stack as a whole', (env) => {
  const { stack, template, json, config } = synthesized(env);

  it('deploys to the account and region from config', () => {
    expect(stack.account).toBe(config.account);
    expect(stack.region).toBe(config.region);
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    const report = awsSolutionsReport(stack);
    expect(
      report.violations.map(
        (v) =>
          `${v.ruleName} at ${v.violatingResources.map((r) => r.resourceLogicalId).join(', ')}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgement a specific written reason', () => {
    const acknowledgements = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const [rule, reason] of acknowledgements) {
      expect(reason, rule).toMatch(/\S{3,}(\s+\S+){5,}/); // a sentence, not "ok" or "n/a"
    }
  });

  it('contains no secret value: every secret is generated, empty, by RDS, or taken from Cognito at deploy time', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    for (const secret of secrets) {
      const value = secret['Properties']['SecretString'];
      if (value === undefined) continue;
      // The app clients' secrets: assembled from the client's ClientSecret attribute, never a literal.
      expect(secret['Properties']['Name']).toMatch(/^order-api-clients\//);
      expect(JSON.stringify(value)).toMatch(
        /"Fn::GetAtt":\["OrderApiUserPool\w+Client\w+","ClientSecret"\]/,
      );
    }
    expect(json).not.toMatch(/"(MasterUserPassword|Password|SecretString)":\s*"/);
    expect(json).not.toMatch(/BEGIN (RSA |EC )?PRIVATE KEY/);
  });

  it.each([
    'VpcId',
    'ClusterName',
    'ClusterSecurityGroupId',
    'PodSecurityGroupId',
    'ServiceAccountRoleArn',
    'ServiceAccountName',
    'ServiceNamespace',
    'CertificateArn',
    'RepositoryUri',
    'EventBusName',
    'PodLogGroupName',
    'DbSecretArn',
    'PaymentCallbackSecretArn',
    'CursorSecretArn',
    'AnalyticsSecretArn',
  ])('exports %s for the chart and CI', (name) => {
    template.hasOutput(name, { Export: { Name: `mallhive-order-platform-${env}-${name}` } });
  });

  it('exposes what the Kubernetes chart is built from', () => {
    const ref = (token: string) => JSON.stringify(stack.resolve(token));
    expect(stack.serviceAccount.serviceAccountName).toBe('order-service');
    expect(stack.serviceAccount.serviceAccountNamespace).toBe('order-service');
    expect(ref(stack.cluster.clusterName)).toMatch(/"Ref":"Cluster/);
    expect(ref(stack.podSecurityGroup.securityGroupId)).toMatch(/"PodSecurityGroup\w+","GroupId"/);
    expect(ref(stack.certificate.certificateArn)).toMatch(/"Ref":"DnsCertificate/);
    expect(ref(stack.repository.repositoryUri)).toMatch(/RegistryRepository/);
    expect(ref(stack.eventBus.eventBusName)).toMatch(/"Ref":"EventsBus/);
    expect(ref(stack.logGroup.logGroupName)).toMatch(/"Ref":"PodLogsLogGroup/);
    expect(stack.config).toBe(config);
  });
});

describe('the cdk-nag check itself', () => {
  it('reports a finding nobody acknowledged (so a green run means something)', () => {
    const stack = new Stack(new App(), 'Probe');
    new sqs.Queue(stack, 'QueueWithoutDlq', { enforceSSL: true });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-SQS3');
  });
});
