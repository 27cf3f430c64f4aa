import { Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface PodSecurityGroupProps {
  readonly vpc: ec2.IVpc;
  /** The VPC CIDR as a literal: the in-cluster peers live inside it. */
  readonly vpcCidr: string;
  /** Port the service listens on; only the internal ALB reaches it. */
  readonly servicePort: number;
  /** Container ports of in-cluster peers (product, notification, payment, analytics). */
  readonly peerPorts: readonly number[];
  /** The group the internal ALB carries (the Ingress names it). */
  readonly albSecurityGroup: ec2.ISecurityGroup;
  /**
   * The EKS cluster security group: the control plane's network interfaces and every pod without a
   * SecurityGroupPolicy (CoreDNS, controllers, peers) carry it.
   */
  readonly clusterSecurityGroup: ec2.ISecurityGroup;
  /** Security group of the interface VPC endpoints, when this app created them. */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  /** Prefix list of S3 (gateway endpoint), where ECR keeps image layers. */
  readonly s3PrefixListId: string;
  /** Tagged `kubernetes.io/cluster/<name>`: the one group the Load Balancer Controller may use. */
  readonly clusterName: string;
}

/**
 * The one security group of the order-service pods, attached by the chart's SecurityGroupPolicy
 * instead of the EKS cluster security group. Fargate enforces security groups, not NetworkPolicy, and
 * the cluster group admits all traffic from its members (EKS restores that rule), so attaching it would
 * let any pod reach this one on any port. This group alone therefore carries what AWS requires of a
 * Fargate pod's groups (control plane and CoreDNS reachable) and otherwise exactly the table in
 * docs/infrastructure.md. Database and Kafka rules are added by their `connections` grants; the ADOT
 * collector's scrape of `/metrics` (its own port) by the collector's construct.
 */
export class PodSecurityGroup extends Construct {
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: PodSecurityGroupProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'order-service pods (security groups for pods)',
      allowAllOutbound: false,
    });
    const pods = this.securityGroup.connections;
    const controlPlane = props.clusterSecurityGroup;

    pods.allowFrom(props.albSecurityGroup, ec2.Port.tcp(props.servicePort), 'HTTP from the ALB');
    // Kubelet API: the control plane (logs, exec) and metrics-server (for the HPA) call it.
    pods.allowFrom(controlPlane, ec2.Port.tcp(10250), 'kubelet from the control plane');
    // Kubelet to the API server (private endpoint network interfaces carry the cluster group).
    pods.allowTo(controlPlane, ec2.Port.tcp(443), 'Kubernetes API server');
    // CoreDNS runs on Fargate with the cluster group.
    pods.allowTo(controlPlane, ec2.Port.udp(53), 'DNS to CoreDNS');
    pods.allowTo(controlPlane, ec2.Port.tcp(53), 'DNS over TCP to CoreDNS');
    for (const port of props.peerPorts) {
      this.securityGroup.addEgressRule(
        ec2.Peer.ipv4(props.vpcCidr),
        ec2.Port.tcp(port),
        `Peer service on port ${port}`,
      );
      // Peers without a SecurityGroupPolicy carry only the cluster group; it must admit us too.
      controlPlane.addIngressRule(
        this.securityGroup,
        ec2.Port.tcp(port),
        `order-service pods to peer service on port ${port}`,
      );
    }
    this.securityGroup.addEgressRule(
      props.endpointSecurityGroup ?? ec2.Peer.ipv4(props.vpcCidr),
      ec2.Port.tcp(443),
      'HTTPS to the VPC endpoints (STS, Secrets Manager, EventBridge, ECR, Logs)',
    );
    this.securityGroup.addEgressRule(
      ec2.Peer.prefixList(props.s3PrefixListId),
      ec2.Port.tcp(443),
      'HTTPS to S3 through the gateway endpoint (ECR image layers)',
    );
    // Cognito's interface endpoint does not serve a user pool that has a domain, and ours needs one for
    // the client-credentials token endpoint ("Access Amazon Cognito user pools using an interface
    // endpoint (AWS PrivateLink)", Amazon Cognito Developer Guide): the JWKS comes through NAT.
    this.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the Cognito JWKS (public endpoint, through NAT)',
    );
    // The Load Balancer Controller expects exactly one cluster-tagged group on a target's interface.
    Tags.of(this.securityGroup).add(`kubernetes.io/cluster/${props.clusterName}`, 'shared');
  }
}
