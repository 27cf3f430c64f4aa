import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface PodSecurityGroupProps {
  readonly vpc: ec2.IVpc;
  /** The VPC CIDR as a literal: DNS, peers and the ALB live inside it. */
  readonly vpcCidr: string;
  /** Port the service listens on; the internal ALB in the VPC reaches it. */
  readonly servicePort: number;
  /** Port of `/metrics`; scrapers in the VPC reach it. */
  readonly metricsPort: number;
  /** Container ports of in-cluster peers (product, notification, payment, analytics). */
  readonly peerPorts: readonly number[];
  /** Security group of the interface VPC endpoints, when this app created them. */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;
}

/**
 * The security group of the order-service pods, attached by the chart's SecurityGroupPolicy (NetworkPolicy
 * is not enforced on Fargate). It is the identity the database admits; its own egress is limited to
 * DNS, the endpoints, the peers and HTTPS for the identity provider's keys. Database and Kafka egress are added by `connections` grants.
 */
export class PodSecurityGroup extends Construct {
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PodSecurityGroupProps) {
    super(scope, id);
    const vpcCidr = ec2.Peer.ipv4(props.vpcCidr);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'order-service pods (security groups for pods)',
      allowAllOutbound: false,
    });
    const sg = this.securityGroup;
    sg.addIngressRule(
      vpcCidr,
      ec2.Port.tcp(props.servicePort),
      'HTTP from the internal ALB in the VPC',
    );
    sg.addIngressRule(
      vpcCidr,
      ec2.Port.tcp(props.metricsPort),
      '/metrics from Prometheus scrapers in the VPC',
    );
    sg.addEgressRule(vpcCidr, ec2.Port.udp(53), 'DNS to CoreDNS');
    sg.addEgressRule(vpcCidr, ec2.Port.tcp(53), 'DNS over TCP to CoreDNS');
    for (const port of props.peerPorts) {
      sg.addEgressRule(vpcCidr, ec2.Port.tcp(port), `Peer service on port ${port}`);
    }
    sg.addEgressRule(
      props.endpointSecurityGroup ?? vpcCidr,
      ec2.Port.tcp(443),
      'HTTPS to the VPC endpoints (STS, Secrets Manager, EventBridge, ECR, Logs)',
    );
    // Cognito's interface endpoint does not serve a user pool that has a domain, and ours needs one for
    // the client-credentials token endpoint ("Access Amazon Cognito user pools using an interface
    // endpoint (AWS PrivateLink)", Amazon Cognito Developer Guide): the JWKS comes through NAT.
    sg.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the Cognito JWKS (public endpoint, through NAT)',
    );
  }
}
