import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface LoadBalancerSecurityGroupProps {
  readonly vpc: ec2.IVpc;
  /** Clients of the internal ALB (peers, other services) are inside the VPC. */
  readonly vpcCidr: string;
}

/**
 * The security group of the internal ALB, created here instead of by the Load Balancer Controller so
 * the pods' group can admit exactly this group (the Ingress names it with
 * `alb.ingress.kubernetes.io/security-groups`). HTTPS (and HTTP, which only redirects) from the VPC in;
 * out only to the targets that grant it with `allowTo`.
 */
export class LoadBalancerSecurityGroup extends Construct {
  readonly securityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: LoadBalancerSecurityGroupProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Internal ALB of the Mallhive services: HTTPS from the VPC',
      allowAllOutbound: false,
    });
    const vpc = ec2.Peer.ipv4(props.vpcCidr);
    this.securityGroup.addIngressRule(vpc, ec2.Port.tcp(443), 'HTTPS from clients in the VPC');
    this.securityGroup.addIngressRule(vpc, ec2.Port.tcp(80), 'HTTP (redirected to HTTPS)');
  }
}
