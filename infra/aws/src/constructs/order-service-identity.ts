import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface KafkaAccess {
  readonly clusterArn: string;
  /** Where the idempotent producer writes order events. */
  readonly publishTopicArn: string;
  /** Where the payment-results consumer reads. */
  readonly consumeTopicArn: string;
  readonly consumerGroupArn: string;
}

export interface OrderServiceIdentityProps {
  readonly cluster: eks.Cluster;
  /** The namespace manifest; the service account is applied after it. */
  readonly namespace: eks.KubernetesManifest;
  readonly namespaceName: string;
  readonly serviceAccountName: string;
  /** Prefix of the secrets the service may read, e.g. `order-service/`. */
  readonly secretPrefix: string;
  /** The key that encrypts those secrets. */
  readonly secretsKey: kms.IKey;
  readonly eventBus: events.IEventBus;
  /** Present when the service writes to MSK with IAM auth. */
  readonly kafka?: KafkaAccess;
}

/**
 * The order service's AWS identity: a Kubernetes service account created through the cluster (IRSA,
 * since Pod Identity does not work on Fargate), whose role trusts exactly that account and may only read
 * its secrets, decrypt them, put events on the order bus and, with MSK, write its topic.
 */
export class OrderServiceIdentity extends Construct {
  readonly serviceAccount: eks.ServiceAccount;

  constructor(scope: Construct, id: string, props: OrderServiceIdentityProps) {
    super(scope, id);
    this.serviceAccount = new eks.ServiceAccount(this, 'ServiceAccount', {
      cluster: props.cluster,
      name: props.serviceAccountName,
      namespace: props.namespaceName,
      labels: { 'app.kubernetes.io/name': 'order-service' },
    });
    this.serviceAccount.node.addDependency(props.namespace);

    const stack = Stack.of(this);
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOwnSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [
          stack.formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${props.secretPrefix}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    Validations.of(this.serviceAccount).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${stack.partition}:secretsmanager:${stack.region}:${stack.account}:secret:${props.secretPrefix}*]`,
      reason:
        'Secrets Manager appends a random suffix to secret ARNs; the prefix wildcard is the narrowest name that matches the service secrets.',
    });
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptOwnSecrets',
        actions: ['kms:Decrypt'],
        resources: [props.secretsKey.keyArn],
      }),
    );
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishOrderEvents',
        actions: ['events:PutEvents'],
        resources: [props.eventBus.eventBusArn],
      }),
    );
    if (props.kafka) this.grantKafka(props.kafka);
  }

  /**
   * Exactly the actions "Common use cases for client authorization policy" (MSK) lists for producing
   * data idempotently (the kafkajs producer is idempotent) and for consuming data, each on the
   * resource type "Semantics of IAM authorization policy actions and resources" names for it.
   */
  private grantKafka(kafka: KafkaAccess): void {
    const grant = (sid: string, actions: string[], resource: string) =>
      this.serviceAccount.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid, actions, resources: [resource] }),
      );
    grant(
      'ConnectAndWriteIdempotently',
      ['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently'],
      kafka.clusterArn,
    );
    grant(
      'WriteOrderEvents',
      ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
      kafka.publishTopicArn,
    );
    grant(
      'ReadPaymentResults',
      ['kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
      kafka.consumeTopicArn,
    );
    grant(
      'UsePaymentResultsGroup',
      ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'],
      kafka.consumerGroupArn,
    );
  }
}
