import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface KafkaAccess {
  readonly clusterArn: string;
  readonly topicArn: string;
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
    if (props.kafka) {
      this.serviceAccount.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ConnectToKafka',
          actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster'],
          resources: [props.kafka.clusterArn],
        }),
      );
      this.serviceAccount.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'WriteOrderTopic',
          actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
          resources: [props.kafka.topicArn],
        }),
      );
    }
  }
}
