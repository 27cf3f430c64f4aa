import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('DNS, certificate and ExternalDNS (%s)', (env) => {
  const { template, config } = synthesized(env);

  it('creates the private zone of the environment associated with the VPC', () => {
    template.hasResourceProperties('AWS::Route53::HostedZone', {
      Name: `${config.dns.privateZoneName}.`,
      VPCs: [{ VPCId: { Ref: Match.stringLikeRegexp('^NetworkVpc') }, VPCRegion: config.region }],
    });
  });

  // A certificate validates without help only in a Route 53 zone of the stack's own account
  // (AWS::CertificateManager::Certificate); dev has its own delegated zone (load-config.test.ts).
  it(`issues the service's certificate validated by DNS in the ${env} account's public zone`, () => {
    expect(config.dns.publicZoneName).toBe(env === 'dev' ? 'dev.mallhive.com' : 'mallhive.com');
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: config.dns.serviceHostName,
      ValidationMethod: 'DNS',
      DomainValidationOptions: [
        { DomainName: config.dns.serviceHostName, HostedZoneId: config.dns.publicZoneId },
      ],
    });
  });

  it('installs ExternalDNS for the private zone only, owning its records by cluster name', () => {
    const chart = Object.values(resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart')).find(
      (c) => c.Properties?.['Chart'] === 'external-dns',
    );
    expect(chart?.Properties).toMatchObject({
      Namespace: 'kube-system',
      Version: config.cluster.externalDnsChartVersion,
      Repository: 'https://kubernetes-sigs.github.io/external-dns/',
    });
    const values = JSON.stringify(chart?.Properties?.['Values']);
    expect(values).toContain(`\\"domainFilters\\":[\\"${config.dns.privateZoneName}\\"]`);
    expect(values).toContain(`\\"txtOwnerId\\":\\"${config.cluster.clusterName}\\"`);
    expect(values).toContain('--aws-zone-type=private');
    expect(values).toMatch(/--zone-id-filter=",\{"Ref":"DnsPrivateZone/);
    expect(values).toContain(
      '\\"serviceAccount\\":{\\"create\\":false,\\"name\\":\\"external-dns\\"}',
    );
  });

  it('lets ExternalDNS change records in the private zone and nowhere else', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Sid: 'ChangeRecordsInPrivateZone',
            Effect: 'Allow',
            Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
            Resource: {
              'Fn::Join': [
                '',
                [
                  'arn:aws:route53:::hostedzone/',
                  { Ref: Match.stringLikeRegexp('^DnsPrivateZone') },
                ],
              ],
            },
          },
          {
            Sid: 'DiscoverZones',
            Effect: 'Allow',
            Action: 'route53:ListHostedZones',
            Resource: '*',
          },
        ],
      },
    });
  });
});
