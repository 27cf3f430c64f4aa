import { Duration, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventsConfig } from '../config/environment-config.ts';

export interface EventBusProps {
  readonly config: EventsConfig;
}

/**
 * The `mallhive-orders` EventBridge bus the service publishes order events to, a 30-day archive for
 * replay, and a queue (with its own dead-letter queue) subscribed to order events for consumers that
 * prefer polling. Events the rule cannot deliver land in a rule dead-letter queue instead of vanishing.
 */
export class OrderEventBus extends Construct {
  readonly bus: events.EventBus;
  readonly archive: events.Archive;
  /** Order events for consumers that want a queue. */
  readonly consumerQueue: sqs.Queue;
  /** Messages the consumers failed to process `maxReceiveCount` times. */
  readonly consumerDeadLetterQueue: sqs.Queue;
  /** Events EventBridge could not deliver to a rule target. */
  readonly ruleDeadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: EventBusProps) {
    super(scope, id);
    const { config } = props;
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: config.busName,
      description: 'Order lifecycle events published by the order service',
    });
    this.archive = this.bus.archive('Archive', {
      description: `All events on ${config.busName}, kept for replay`,
      eventPattern: { source: events.Match.prefix('') },
      retention: Duration.days(config.archiveRetentionDays),
    });

    this.ruleDeadLetterQueue = this.queue('RuleDeadLetterQueue', Duration.days(14));
    Validations.of(this.ruleDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the EventBridge rule target (DeadLetterConfig), which cdk-nag does not recognise as a DLQ.',
    });
    this.consumerDeadLetterQueue = this.queue('ConsumerDeadLetterQueue', Duration.days(14));
    this.consumerQueue = this.queue('ConsumerQueue', Duration.days(4), {
      queue: this.consumerDeadLetterQueue,
      maxReceiveCount: 5,
    });

    new events.Rule(this, 'OrderEventsToQueue', {
      eventBus: this.bus,
      description: 'Copies every order event to the consumer queue',
      eventPattern: { source: [config.orderEventSource] },
      targets: [
        new targets.SqsQueue(this.consumerQueue, {
          deadLetterQueue: this.ruleDeadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }

  private queue(id: string, retention: Duration, deadLetterQueue?: sqs.DeadLetterQueue): sqs.Queue {
    return new sqs.Queue(this, id, {
      // SQS-managed encryption: EventBridge can deliver without a key policy grant.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: retention,
      ...(deadLetterQueue ? { deadLetterQueue } : {}),
    });
  }
}
