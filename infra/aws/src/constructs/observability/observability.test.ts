import { readFileSync } from 'node:fs';
import { devChartProps, OrderServiceChart } from '@mallhive/infra-k8s';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import { App as Cdk8sApp } from 'cdk8s';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { manifestObjects, tokenText } from '../../testing/kubernetes-manifest.ts';
import {
  environmentNames,
  resourcesOf,
  statementsOfRole,
  synthesized,
} from '../../testing/synthesized.ts';
import type { AlarmTopic } from '../operations/alarm-topic.ts';
import type { AdotCollector } from './adot-collector.ts';
import type { AlbAccessLogs } from './alb-access-logs.ts';
import type { PrometheusWorkspace } from './prometheus-workspace.ts';

interface AlertSummary {
  alert: string;
  expr: string;
  for: string;
  severity: string;
  runbook: string;
}
type RuleGroups = { rules: Record<string, unknown>[] }[];
const summarize = (groups: RuleGroups): AlertSummary[] =>
  groups.flatMap((group) =>
    group.rules.map((rule) => ({
      alert: String(rule['alert']),
      expr: String(rule['expr']),
      for: String(rule['for']),
      severity: (rule['labels'] as Record<string, string>)['severity'] ?? '',
      runbook: (rule['annotations'] as Record<string, string>)['runbook_url'] ?? '',
    })),
  );

describe.each(environmentNames)('observability (%s)', (env) => {
  const { stack, template, config } = synthesized(env);
  const prometheus = stack.node.findChild('Prometheus') as PrometheusWorkspace;
  const collector = stack.node.findChild('AdotCollector') as AdotCollector;
  const topic = (stack.node.findChild('AlarmTopic') as AlarmTopic).topic;
  const workspaceId = stack.getLogicalId(prometheus.workspace);
  const text = (token: string) => tokenText(stack, token);

  describe('AMP workspace, rules and alert manager', () => {
    it('creates one workspace named after the cluster', () => {
      template.resourceCountIs('AWS::APS::Workspace', 1);
      template.hasResourceProperties('AWS::APS::Workspace', { Alias: config.cluster.clusterName });
    });

    it('logs rule evaluation and alert delivery errors to a log group with retention', () => {
      const logGroupId = stack.getLogicalId(prometheus.logGroup.node.defaultChild as CfnElement);
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/vendedlogs/prometheus/${config.cluster.clusterName}`,
        RetentionInDays: config.operations.podLogRetentionDays,
      });
      template.hasResourceProperties('AWS::APS::Workspace', {
        LoggingConfiguration: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
      });
    });

    it('carries the same alerts as the PrometheusRule (name, expression, duration, severity, runbook)', () => {
      const [namespace] = Object.values(resourcesOf(template, 'AWS::APS::RuleGroupsNamespace'));
      expect(namespace?.Properties?.['Workspace']).toEqual({ 'Fn::GetAtt': [workspaceId, 'Arn'] });
      const amp = summarize(
        (parse(String(namespace?.Properties?.['Data'])) as { groups: RuleGroups }).groups,
      );

      // The Prometheus Operator rendering, from the same chart the stack ships, with the operator on.
      const chart = new OrderServiceChart(new Cdk8sApp(), 'with-operator', {
        ...devChartProps,
        envName: env,
        addons: { ...devChartProps.addons, prometheusOperator: true },
      });
      const rule = chart.toJson().find((o) => o.kind === 'PrometheusRule') as {
        spec: { groups: RuleGroups };
      };
      expect(amp.length).toBeGreaterThan(0);
      expect(amp).toEqual(summarize(rule.spec.groups));
    });

    it('keeps a runbook section in docs/operations.md for every alert AMP can fire', () => {
      const runbook = readFileSync(
        new URL('../../../../../docs/operations.md', import.meta.url),
        'utf8',
      );
      const [namespace] = Object.values(resourcesOf(template, 'AWS::APS::RuleGroupsNamespace'));
      const alerts = summarize(
        (parse(String(namespace?.Properties?.['Data'])) as { groups: RuleGroups }).groups,
      );
      for (const { alert, runbook: url } of alerts) {
        expect(runbook, `docs/operations.md lacks ### ${alert}`).toContain(`### ${alert}\n`);
        expect(url).toBe(`docs/operations.md#${alert.toLowerCase()}`);
      }
    });

    // AMP user guide, "Configure alert manager to send messages to your Amazon SNS topic": SNS is the
    // only receiver, sigv4.region is required, api_url and http_config are not allowed.
    it('routes every alert to the alarm topic through SNS', () => {
      const definition = parse(text(prometheus.workspace.alertManagerDefinition ?? '')) as {
        alertmanager_config: string;
      };
      const config_ = parse(definition.alertmanager_config) as {
        route: { receiver: string; routes?: unknown };
        receivers: { name: string; sns_configs: Record<string, unknown>[] }[];
      };
      expect(config_.route.receiver).toBe('on-call');
      expect(config_.route.routes).toBeUndefined();
      expect(config_.receivers).toHaveLength(1);
      const [sns] = config_.receivers[0]?.sns_configs ?? [];
      expect(sns).toMatchObject({
        topic_arn: text(topic.topicArn),
        sigv4: { region: config.region },
      });
      expect(JSON.stringify(config_)).not.toMatch(/api_url|http_config/);
    });

    // AMP user guide, "Giving Amazon Managed Service for Prometheus permission to send alert messages
    // to your Amazon SNS topic": aps.amazonaws.com, sns:Publish + sns:GetTopicAttributes, conditioned
    // on the workspace ARN and account; for an SSE topic, kms:GenerateDataKey* and kms:Decrypt.
    it('lets only AMP, for this workspace and account, publish to the alarm topic', () => {
      const [policy] = Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy'));
      const statements = (
        policy?.Properties?.['PolicyDocument'] as { Statement: Record<string, unknown>[] }
      ).Statement;
      const forAmp = statements.filter((s) =>
        JSON.stringify(s['Principal']).includes('aps.amazonaws.com'),
      );
      expect(forAmp).toEqual([
        {
          Sid: 'AmpAlertManagerPublish',
          Effect: 'Allow',
          Principal: { Service: 'aps.amazonaws.com' },
          Action: ['sns:GetTopicAttributes', 'sns:Publish'],
          Resource: { Ref: stack.getLogicalId(topic.node.defaultChild as CfnElement) },
          Condition: {
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [workspaceId, 'Arn'] } },
            StringEquals: { 'aws:SourceAccount': config.account },
          },
        },
      ]);
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'aps.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Condition: Match.objectLike({
                StringEquals: { 'aws:SourceAccount': config.account },
              }),
            }),
          ]),
        },
      });
    });
  });

  describe('ADOT collector', () => {
    const objects = manifestObjects(template, stack, collector.manifest);
    const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

    it('may only remote-write to this workspace and put trace segments to X-Ray', () => {
      const role = collector.serviceAccount.role.node.defaultChild as CfnRole;
      expect(statementsOfRole(template, stack.getLogicalId(role))).toEqual([
        {
          Sid: 'RemoteWriteToWorkspace',
          Effect: 'Allow',
          Action: 'aps:RemoteWrite',
          Resource: { 'Fn::GetAtt': [workspaceId, 'Arn'] },
        },
        // X-Ray has no resource-level permissions for PutTraceSegments.
        {
          Sid: 'PutTraceSegments',
          Effect: 'Allow',
          Action: 'xray:PutTraceSegments',
          Resource: '*',
        },
      ]);
    });

    it('is assumable only by system:serviceaccount:observability:adot-collector', () => {
      const conditions = resourcesOf(template, 'Custom::AWSCDKCfnJson');
      const match = Object.values(conditions).filter((r) =>
        JSON.stringify(r.Properties?.['Value']).includes(
          ':sub\\":\\"system:serviceaccount:observability:adot-collector\\"',
        ),
      );
      expect(match).toHaveLength(1);
    });

    it('runs on its own Fargate profile whose pod execution role has no permissions', () => {
      template.hasResourceProperties('AWS::EKS::FargateProfile', {
        FargateProfileName: 'observability',
        Selectors: [{ Namespace: 'observability' }],
      });
      const roleId = stack.getLogicalId(
        collector.node.findChild('PodExecutionRole').node.defaultChild as CfnElement,
      );
      expect(statementsOfRole(template, roleId)).toEqual([]);
      expect(
        resourcesOf(template, 'AWS::IAM::Role')[roleId]?.Properties?.['ManagedPolicyArns'],
      ).toBeUndefined();
    });

    it('is applied after its namespace, service account, Fargate profile and the order-service namespace', () => {
      const [logicalId] = Object.entries(
        resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource'),
      ).find(
        ([id]) => id === stack.getLogicalId(collector.manifest.node.defaultChild as CfnElement),
      ) ?? [''];
      const dependsOn =
        resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')[logicalId]?.DependsOn ?? [];
      const profileId = Object.entries(resourcesOf(template, 'AWS::EKS::FargateProfile')).find(
        ([, r]) => r.Properties?.['FargateProfileName'] === 'observability',
      )?.[0];
      expect(dependsOn).toContain(profileId);
      expect(dependsOn).toContain(
        stack.getLogicalId(stack.serviceNamespace.node.defaultChild as CfnElement),
      );
      expect(dependsOn.some((id) => id.startsWith('AdotCollectorServiceAccount'))).toBe(true);
      expect(dependsOn.some((id) => id.includes('ObservabilityNamespace'))).toBe(true);
    });

    it('gets read-only RBAC: nodes and the kubelet proxy cluster-wide, discovery in order-service only', () => {
      expect(byKind('ClusterRole').map((r) => r['rules'])).toEqual([
        [
          { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
          { apiGroups: [''], resources: ['nodes/proxy'], verbs: ['get'] },
        ],
      ]);
      expect(byKind('Role').map((r) => [r.metadata.namespace, r['rules']])).toEqual([
        [
          'order-service',
          [
            { apiGroups: [''], resources: ['services', 'pods'], verbs: ['list', 'watch'] },
            {
              apiGroups: ['discovery.k8s.io'],
              resources: ['endpointslices'],
              verbs: ['list', 'watch'],
            },
          ],
        ],
      ]);
      expect(byKind('ServiceAccount')).toEqual([]); // CDK's IRSA account is the one used
    });

    it('remote-writes with SigV4 to the workspace and sends traces to X-Ray in the region', () => {
      const [configMap] = byKind('ConfigMap');
      const collectorConfig = parse(
        (configMap?.['data'] as Record<string, string>)['collector.yaml'] ?? '',
      );
      expect(collectorConfig.exporters.prometheusremotewrite).toMatchObject({
        endpoint: `${text(prometheus.workspace.attrPrometheusEndpoint)}api/v1/remote_write`,
        auth: { authenticator: 'sigv4auth' },
      });
      expect(collectorConfig.extensions.sigv4auth).toEqual({
        region: config.region,
        service: 'aps',
      });
      expect(collectorConfig.exporters.awsxray.region).toBe(config.region);
      expect(collectorConfig.service.pipelines.traces.receivers).toEqual(['otlp']);
    });

    // EKS user guide, "Security groups for pods" on Fargate: a pod gets the groups of the
    // SecurityGroupPolicy that exists when the pod is created, so the policy is a manifest of its own
    // that the collector chart depends on (array order in one apply would not be enough).
    it('attaches its own security group only, before any collector pod exists', () => {
      const policyId = stack.getLogicalId(
        collector.securityGroupPolicy.node.defaultChild as CfnElement,
      );
      const text = JSON.stringify(
        resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')[policyId]?.Properties?.[
          'Manifest'
        ],
      );
      expect(text).toContain('SecurityGroupPolicy');
      expect(text).toContain(
        stack.getLogicalId(collector.securityGroup.node.defaultChild as CfnElement),
      );
      // The rules themselves: pod-security-group.test.ts, against the table in docs/infrastructure.md.
      expect(text).not.toContain('ClusterSecurityGroupId');
      const chartId = stack.getLogicalId(collector.manifest.node.defaultChild as CfnElement);
      expect(
        resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesResource')[chartId]?.DependsOn,
      ).toContain(policyId);
    });
  });

  describe('ALB access logs and alarms', () => {
    const logs = stack.node.findChild('AlbAccessLogs') as AlbAccessLogs;
    const bucketId = stack.getLogicalId(logs.bucket.node.defaultChild as CfnElement);
    const workloadObjects = stack.workload
      ? manifestObjects(template, stack, stack.workload.manifest)
      : [];
    const ingress = workloadObjects.find((o) => o.kind === 'Ingress');
    const annotations =
      (ingress?.metadata as { annotations?: Record<string, string> }).annotations ?? {};

    it('names the ALB and turns its access logs on into the bucket', () => {
      expect(annotations['alb.ingress.kubernetes.io/load-balancer-name']).toBe(`mallhive-${env}`);
      expect(annotations['alb.ingress.kubernetes.io/load-balancer-attributes']).toBe(
        `access_logs.s3.enabled=true,access_logs.s3.bucket=${text(logs.bucket.bucketName)},access_logs.s3.prefix=mallhive`,
      );
    });

    // ELB "Enable access logs for your Application Load Balancer": SSE-S3 is the only supported
    // encryption; in regions from before August 2022 (eu-central-1) the bucket policy names the
    // region's ELB account (054676820928 for eu-central-1).
    it('keeps them SSE-S3 encrypted, private, TLS-only, for the configured days, writable by ELB only', () => {
      template.hasResource('AWS::S3::Bucket', {
        Properties: {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          LifecycleConfiguration: {
            Rules: [
              Match.objectLike({
                ExpirationInDays: config.observability.albAccessLogRetentionDays,
                Status: 'Enabled',
              }),
            ],
          },
        },
        DeletionPolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            {
              Sid: 'AlbAccessLogDelivery',
              Effect: 'Allow',
              Principal: {
                AWS: 'arn:aws:iam::054676820928:root',
              },
              Action: 's3:PutObject',
              Resource: {
                'Fn::Join': [
                  '',
                  [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/mallhive/AWSLogs/${config.account}/*`],
                ],
              },
            },
          ]),
        },
      });
    });

    it('finds the ALB by name and the target group by the controller tag, after the chart is applied', () => {
      const [lookupId, lookup] =
        Object.entries(resourcesOf(template, 'Custom::AlbMetricDimensions'))[0] ?? [];
      expect(lookup?.Properties).toMatchObject({
        LoadBalancerName: `mallhive-${env}`,
        TargetGroupTagKey: 'ingress.k8s.aws/resource',
        TargetGroupTagValue: 'order-service/order-service-order-service:http',
      });
      expect(lookup?.DependsOn).toContain(
        stack.getLogicalId(stack.workload?.manifest.node.defaultChild as CfnElement),
      );
      const dimensions = [
        { Name: 'LoadBalancer', Value: { 'Fn::GetAtt': [lookupId, 'LoadBalancerDimension'] } },
        { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [lookupId, 'TargetGroupDimension'] } },
      ];
      const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).filter((a) =>
        JSON.stringify(a).includes('AWS/ApplicationELB'),
      );
      expect(alarms).toHaveLength(3);
      for (const alarm of alarms)
        expect(JSON.stringify(alarm)).toContain(JSON.stringify(dimensions));
    });

    it('links every ALB alarm to its runbook section', () => {
      const runbook = readFileSync(
        new URL('../../../../../docs/operations.md', import.meta.url),
        'utf8',
      );
      const anchors = new Set(
        [...runbook.matchAll(/^### (.+)$/gm)].map((m) =>
          (m[1] ?? '')
            .toLowerCase()
            .replace(/[^a-z0-9 -]/g, '')
            .replace(/ /g, '-'),
        ),
      );
      const descriptions = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'))
        .map((a) => String(a.Properties?.['AlarmDescription']))
        .filter((d) => d.includes('docs/operations.md#alb-'));
      expect(descriptions).toHaveLength(3);
      for (const description of descriptions) {
        expect(anchors).toContain(description.split('docs/operations.md#')[1]);
      }
    });

    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as CfnElement) };
    it('alarms on more than 5 % target 5xx for 5 minutes', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 5,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef],
        OKActions: [topicRef],
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)' }),
          Match.objectLike({
            Id: 'errors',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'HTTPCode_Target_5XX_Count' }),
              Stat: 'Sum',
            }),
          }),
          Match.objectLike({
            Id: 'requests',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: 'RequestCount' }),
              Stat: 'Sum',
            }),
          }),
        ]),
      });
    });

    it('alarms on any unhealthy target for 3 minutes', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'UnHealthyHostCount',
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 0,
        EvaluationPeriods: 3,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topicRef],
      });
    });

    it('alarms on p99 target response time above 1 s for 10 minutes', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'TargetResponseTime',
        ExtendedStatistic: 'p99',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 2,
        AlarmActions: [topicRef],
      });
    });
  });
});

describe('a platform-only template (-c workload=false)', () => {
  const { template } = synthesized('dev', { workload: 'false' });

  it('keeps the workspace and the collector but has no ALB to watch', () => {
    template.resourceCountIs('AWS::APS::Workspace', 1);
    template.resourceCountIs('Custom::AlbMetricDimensions', 0);
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      FargateProfileName: 'observability',
    });
  });
});
