import { CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, type IDependable } from 'constructs';
import { fileURLToPath } from 'node:url';

export interface AlbAlarmsProps {
  /** The name the Ingress gives its ALB (`alb.ingress.kubernetes.io/load-balancer-name`). */
  readonly loadBalancerName: string;
  /**
   * Value of the controller's `ingress.k8s.aws/resource` tag on the service's target group:
   * `<namespace>/<ingress>-<service>:<port>`.
   */
  readonly targetGroupResource: string;
  readonly topic: sns.ITopic;
  /** The chart that holds the Ingress: the ALB exists only after it is applied. */
  readonly lookUpAfter: IDependable;
}

/** Thresholds mirror the service's own alerts (alert-rules.ts), seen from the load balancer. */
export const albAlarmThresholds = {
  target5xxPercent: 5,
  p99TargetResponseSeconds: 1,
} as const;

/**
 * CloudWatch alarms on the ALB the Load Balancer Controller creates outside CloudFormation. Its
 * metric dimensions (`app/<name>/<id>`, `targetgroup/<name>/<id>`) contain ids known only after the
 * controller made it, so a custom resource looks them up by the ALB's name and the target group's
 * controller tag, waiting for the controller after the chart is applied (why not a SEARCH
 * expression: alarms cannot use one, and Metrics Insights has no percentiles; see
 * docs/infrastructure.md).
 */
export class AlbAlarms extends Construct {
  readonly target5xxRate: cloudwatch.Alarm;
  readonly unhealthyTargets: cloudwatch.Alarm;
  readonly p99ResponseTime: cloudwatch.Alarm;
  /** The custom resource; `LoadBalancerDimension` / `TargetGroupDimension` attributes. */
  readonly lookup: CustomResource;

  constructor(scope: Construct, id: string, props: AlbAlarmsProps) {
    super(scope, id);
    this.lookup = this.lookUpDimensions(props);
    this.lookup.node.addDependency(props.lookUpAfter);
    const dimensionsMap = {
      LoadBalancer: this.lookup.getAttString('LoadBalancerDimension'),
      TargetGroup: this.lookup.getAttString('TargetGroupDimension'),
    };
    const metric = (metricName: string, statistic: string, period: Duration) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApplicationELB',
        metricName,
        dimensionsMap,
        statistic,
        period,
      });
    const minute = Duration.minutes(1);
    // ELB reports only while requests flow, and 5xx counts only when non-zero: no data is no error.
    const missing = cloudwatch.TreatMissingData.NOT_BREACHING;

    this.target5xxRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)',
      usingMetrics: {
        errors: metric('HTTPCode_Target_5XX_Count', 'Sum', minute),
        requests: metric('RequestCount', 'Sum', minute),
      },
      period: minute,
      label: 'Target 5xx (% of requests)',
    }).createAlarm(this, 'Target5xxRate', {
      alarmDescription: `Order service targets answered more than ${albAlarmThresholds.target5xxPercent} % 5xx for 5 minutes. Runbook: docs/operations.md#alb-target-5xx-rate`,
      threshold: albAlarmThresholds.target5xxPercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: missing,
    });
    this.unhealthyTargets = metric('UnHealthyHostCount', 'Maximum', minute).createAlarm(
      this,
      'UnhealthyTargets',
      {
        alarmDescription:
          'An order service pod failed the ALB health check (/readyz) for 3 minutes. Runbook: docs/operations.md#alb-unhealthy-targets',
        threshold: 0,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: missing,
      },
    );
    this.p99ResponseTime = metric('TargetResponseTime', 'p99', Duration.minutes(5)).createAlarm(
      this,
      'P99ResponseTime',
      {
        alarmDescription: `Order service p99 target response time above ${albAlarmThresholds.p99TargetResponseSeconds} s for 10 minutes. Runbook: docs/operations.md#alb-p99-target-response-time`,
        threshold: albAlarmThresholds.p99TargetResponseSeconds,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: missing,
      },
    );
    for (const alarm of [this.target5xxRate, this.unhealthyTargets, this.p99ResponseTime]) {
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      alarm.addOkAction(new actions.SnsAction(props.topic));
    }
  }

  private lookUpDimensions(props: AlbAlarmsProps): CustomResource {
    const logGroup = new logs.LogGroup(this, 'LookupLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const role = new iam.Role(this, 'LookupRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Reads ALB and target group descriptions to find CloudWatch dimensions',
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeLoadBalancers',
        actions: [
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTags',
        ],
        resources: ['*'],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ELB Describe* actions support no resource-level permissions (Service Authorization Reference, Elastic Load Balancing V2); they are read-only.',
    });
    const handler = new lambda.Function(this, 'LookupHandler', {
      description:
        'Finds the CloudWatch dimensions of the ALB the Load Balancer Controller created',
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(fileURLToPath(new URL('./alb-lookup', import.meta.url)), {
        exclude: ['*.d.mts'],
      }),
      // The controller creates the ALB within a minute or two of the apply; the handler waits up to 13.
      timeout: Duration.minutes(14),
      memorySize: 256,
      role,
      logGroup,
    });
    const provider = new cr.Provider(this, 'LookupProvider', { onEventHandler: handler });
    acknowledgeProviderFramework(provider, handler);
    return new CustomResource(this, 'LoadBalancer', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::AlbMetricDimensions',
      properties: {
        LoadBalancerName: props.loadBalancerName,
        TargetGroupTagKey: 'ingress.k8s.aws/resource',
        TargetGroupTagValue: props.targetGroupResource,
      },
    });
  }
}

/** The provider framework is aws-cdk-lib's own Lambda, built with what its authors chose. */
function acknowledgeProviderFramework(provider: cr.Provider, handler: lambda.Function): void {
  const handlerId = Stack.of(handler).getLogicalId(handler.node.defaultChild as lambda.CfnFunction);
  Validations.of(provider).acknowledge(
    {
      id: `AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
      reason:
        'The provider framework invokes the lookup handler and its versions (Arn:*), nothing else.',
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The custom-resource provider framework (aws-cdk-lib) writes its own CloudWatch logs.',
    },
    {
      id: 'AwsSolutions-L1',
      reason: 'The provider framework runtime is pinned by aws-cdk-lib.',
    },
  );
}
