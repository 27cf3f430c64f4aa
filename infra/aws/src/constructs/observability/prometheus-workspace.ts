import { orderServiceRulesFile } from '@mallhive/infra-k8s';
import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alertManagerDefinition } from './alert-manager-definition.ts';

export interface PrometheusWorkspaceProps {
  readonly alias: string;
  readonly envName: string;
  /** Where the alert manager sends firing alerts. */
  readonly alarmTopic: sns.ITopic;
  /** Days the workspace's rule and alert manager logs are kept. */
  readonly logRetentionDays: number;
  /** What deleting the stack does to the log group (kept in prod: docs/infrastructure.md, "Teardown"). */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The Amazon Managed Service for Prometheus workspace the collector remote-writes to, with the order
 * service alerts (the same rules file the PrometheusRule is rendered from) and an alert manager that
 * sends them to the alarm topic.
 */
export class PrometheusWorkspace extends Construct {
  readonly workspace: aps.CfnWorkspace;
  /** Rule evaluation and alert manager errors. */
  readonly logGroup: logs.LogGroup;
  /** `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write`. */
  readonly remoteWriteUrl: string;

  constructor(scope: Construct, id: string, props: PrometheusWorkspaceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Rule evaluation and alert delivery errors (for example SNS publish denied) are logged here
    // (AMP user guide, "Troubleshooting alert manager"); the group must exist before the workspace.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/prometheus/${props.alias}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: props.removalPolicy,
    });
    this.workspace = new aps.CfnWorkspace(this, 'Workspace', {
      alias: props.alias,
      loggingConfiguration: { logGroupArn: this.logGroup.logGroupArn },
      alertManagerDefinition: alertManagerDefinition({
        topicArn: props.alarmTopic.topicArn,
        region: stack.region,
      }),
    });
    // The workspace's Prometheus endpoint ends with a slash.
    this.remoteWriteUrl = `${this.workspace.attrPrometheusEndpoint}api/v1/remote_write`;

    new aps.CfnRuleGroupsNamespace(this, 'OrderServiceRules', {
      workspace: this.workspace.attrArn,
      name: 'order-service',
      data: orderServiceRulesFile(props.envName),
    });

    this.allowAlertManagerToPublish(props.alarmTopic);
  }

  /**
   * AMP user guide, "Giving Amazon Managed Service for Prometheus permission to send alert messages
   * to your Amazon SNS topic": the aps service principal may publish, only for this workspace in this
   * account (confused-deputy conditions); for an SSE topic, the key must let it use data keys.
   */
  private allowAlertManagerToPublish(topic: sns.ITopic): void {
    const stack = Stack.of(this);
    const conditions = {
      ArnEquals: { 'aws:SourceArn': this.workspace.attrArn },
      StringEquals: { 'aws:SourceAccount': stack.account },
    };
    const aps = new iam.ServicePrincipal('aps.amazonaws.com');
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AmpAlertManagerPublish',
        principals: [aps],
        actions: ['sns:Publish', 'sns:GetTopicAttributes'],
        resources: [topic.topicArn],
        conditions,
      }),
    );
    // The key cannot name the workspace: key -> workspace -> topic -> key would be a cycle. It is
    // bound to AMP workspaces of this account; publishing still needs the topic statement above.
    topic.masterKey?.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AmpAlertManagerEncrypt',
        principals: [aps],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'aps',
              resource: 'workspace',
              resourceName: '*',
            }),
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
  }
}
