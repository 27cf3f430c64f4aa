import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface DatabaseAlarmsProps {
  readonly instance: rds.DatabaseInstance;
  readonly topic: sns.ITopic;
  /** Allocated storage, to alarm at 10 % free. */
  readonly allocatedStorageGiB: number;
  /** Connections above which to alarm: 80 % of max_connections (config/connection-budget.ts). */
  readonly connectionsThreshold: number;
}

/** Alarms on the signals that precede a database outage: CPU, free storage, connections. */
export class DatabaseAlarms extends Construct {
  readonly cpu: cloudwatch.Alarm;
  readonly freeStorage: cloudwatch.Alarm;
  readonly connections: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    const { instance } = props;
    const period = Duration.minutes(5);
    this.cpu = instance.metricCPUUtilization({ period }).createAlarm(this, 'HighCpu', {
      alarmDescription: 'Order database CPU above 80 % for 15 minutes',
      threshold: 80,
      evaluationPeriods: 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.freeStorage = instance
      .metricFreeStorageSpace({ period })
      .createAlarm(this, 'LowFreeStorage', {
        alarmDescription: 'Order database free storage below 10 % of allocated',
        threshold: props.allocatedStorageGiB * 1024 ** 3 * 0.1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    this.connections = instance
      .metricDatabaseConnections({ period })
      .createAlarm(this, 'HighConnections', {
        alarmDescription: `Order database connections above ${props.connectionsThreshold} (80 % of max_connections)`,
        threshold: props.connectionsThreshold,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    for (const alarm of [this.cpu, this.freeStorage, this.connections]) {
      alarm.addAlarmAction(new actions.SnsAction(props.topic));
      alarm.addOkAction(new actions.SnsAction(props.topic));
    }
  }
}
