import { Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';

export interface ExternalDnsProps {
  readonly cluster: eks.Cluster;
  /** The only zone ExternalDNS may change. */
  readonly zone: route53.IHostedZone;
  readonly zoneName: string;
  readonly chartVersion: string;
  /** Marks the records this installation owns (TXT registry), so two clusters never fight. */
  readonly ownerId: string;
}

/** Namespace ExternalDNS runs in: kube-system is covered by the default Fargate profile. */
export const EXTERNAL_DNS_NAMESPACE = 'kube-system';
export const EXTERNAL_DNS_SERVICE_ACCOUNT = 'external-dns';

/**
 * ExternalDNS writes the Route 53 record of each Ingress host (order.internal.mallhive.com) into the
 * private zone, pointing at the ALB the controller created. The ALB lives outside CloudFormation, so a
 * controller that follows it is more reliable than a record fixed at deploy time. Its IRSA role may
 * change records of that zone only.
 */
export class ExternalDns extends Construct {
  readonly serviceAccount: eks.ServiceAccount;
  readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.serviceAccount = new eks.ServiceAccount(this, 'ServiceAccount', {
      cluster: props.cluster,
      name: EXTERNAL_DNS_SERVICE_ACCOUNT,
      namespace: EXTERNAL_DNS_NAMESPACE,
    });
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ChangeRecordsInPrivateZone',
        actions: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
        resources: [props.zone.hostedZoneArn],
      }),
    );
    // "Community add-ons" (EKS): External DNS needs only ChangeResourceRecordSets, ListHostedZones and
    // ListResourceRecordSets; no zone tags are used here, so no ListTagsForResources.
    this.serviceAccount.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DiscoverZones',
        actions: ['route53:ListHostedZones'],
        resources: ['*'],
      }),
    );

    Validations.of(this.serviceAccount).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only route53:ListHostedZones is granted on *: listing zones takes no resource ARN. Record changes are limited to the private zone.',
    });

    this.chart = props.cluster.addHelmChart('Chart', {
      chart: 'external-dns',
      repository: 'https://kubernetes-sigs.github.io/external-dns/',
      version: props.chartVersion,
      release: 'external-dns',
      namespace: EXTERNAL_DNS_NAMESPACE,
      values: {
        provider: { name: 'aws' },
        serviceAccount: { create: false, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
        env: [{ name: 'AWS_DEFAULT_REGION', value: stack.region }],
        sources: ['ingress'],
        domainFilters: [props.zoneName],
        policy: 'sync',
        registry: 'txt',
        txtOwnerId: props.ownerId,
        extraArgs: [
          '--aws-zone-type=private',
          `--zone-id-filter=${props.zone.hostedZoneId}`,
          // Sync as soon as an Ingress changes, not only every minute: a deleted Ingress's records go
          // at once, before a teardown removes ExternalDNS and then the zone (which must be empty).
          '--events',
        ],
      },
    });
    this.chart.node.addDependency(this.serviceAccount);
  }
}
