import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface FargateTerminationAlertProps {
  readonly topic: sns.ITopic;
}

/**
 * Fargate patches its hosts by evicting pods. EKS announces each planned eviction on the default bus;
 * this rule forwards the announcement so operators can restart pods at a time of their choosing.
 */
export class FargateTerminationAlert extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: FargateTerminationAlertProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Alerts on EKS Fargate Pod Scheduled Termination (OS patching evictions)',
      eventPattern: {
        source: ['aws.eks'],
        detailType: ['EKS Fargate Pod Scheduled Termination'],
      },
      targets: [new targets.SnsTopic(props.topic)],
    });
  }
}
