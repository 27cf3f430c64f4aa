import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import type { DnsConfig } from '../config/environment-config.ts';

export interface DnsCertificateProps {
  readonly config: DnsConfig;
  /** The VPC the private zone is associated with. */
  readonly vpc: ec2.IVpc;
}

/**
 * Split-horizon DNS and TLS for the service's host name. The private zone (created, or imported by id)
 * holds the record peers resolve; ACM cannot validate in a private zone, so the certificate is
 * DNS-validated in the public parent zone, imported by id (no lookup).
 */
export class DnsCertificate extends Construct {
  readonly privateZone: route53.IHostedZone;
  readonly certificate: acm.Certificate;

  constructor(scope: Construct, id: string, props: DnsCertificateProps) {
    super(scope, id);
    const { config } = props;
    this.privateZone = config.existingPrivateZoneId
      ? route53.PrivateHostedZone.fromHostedZoneAttributes(this, 'PrivateZone', {
          hostedZoneId: config.existingPrivateZoneId,
          zoneName: config.privateZoneName,
        })
      : new route53.PrivateHostedZone(this, 'PrivateZone', {
          zoneName: config.privateZoneName,
          vpc: props.vpc,
          comment: 'Internal names of Mallhive services (records written by ExternalDNS)',
        });

    const publicZone = route53.PublicHostedZone.fromHostedZoneAttributes(this, 'PublicZone', {
      hostedZoneId: config.publicZoneId,
      zoneName: config.publicZoneName,
    });
    this.certificate = new acm.Certificate(this, 'Certificate', {
      domainName: config.serviceHostName,
      validation: acm.CertificateValidation.fromDns(publicZone),
    });
  }
}
