import { describe, expect, it } from 'vitest';
import { kubernetesResourceType, logicalIdsOf } from '../testing/kubernetes-manifest.ts';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';

/** Resource types whose physical name comes from the template, with the property that sets it. */
const namedTypes: Record<string, string> = {
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Events::EventBus': 'Name',
  'AWS::EKS::Cluster': 'Name',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
};

describe.each(environmentNames)('deleting the %s stack', (env) => {
  const { stack, template, config } = synthesized(env);
  const resources = Object.entries(template.toJSON()['Resources'] as Record<string, never>).map(
    ([id, resource]: [
      string,
      { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> },
    ]) => ({
      id,
      ...resource,
    }),
  );
  // Names CloudFormation generates (e.g. a Lambda's log group after its function) never collide.
  const named = resources.filter(
    (r) =>
      namedTypes[r.Type] !== undefined && typeof r.Properties?.[namedTypes[r.Type]!] === 'string',
  );

  it(
    env === 'dev'
      ? 'retains nothing with a fixed name, so the stack can be deployed again without "already exists"'
      : 'keeps the data: secrets, images, logs and the keys that encrypt them',
    () => {
      expect(config.retainOnTeardown).toBe(env === 'prod');
      const retained = (type: string) =>
        resources.filter((r) => r.Type === type && r.DeletionPolicy === 'Retain').length;
      if (env === 'dev') {
        expect(named.filter((r) => r.DeletionPolicy === 'Retain').map((r) => r.id)).toEqual([]);
        expect(named.length).toBeGreaterThanOrEqual(7);
        expect(retained('AWS::KMS::Key')).toBe(0);
        // ECR refuses to delete a repository with images unless told to empty it first (Amazon ECR API
        // Reference, "DeleteRepository": the repository must be empty, or `force` deletes its contents).
        template.hasResourceProperties('AWS::ECR::Repository', { EmptyOnDelete: true });
      } else {
        for (const type of [
          'AWS::ECR::Repository',
          'AWS::SecretsManager::Secret',
          'AWS::Logs::LogGroup',
        ]) {
          const all = named.filter((r) => r.Type === type);
          expect(
            all.filter((r) => r.DeletionPolicy !== 'Retain').map((r) => r.id),
            type,
          ).toEqual([]);
        }
        expect(retained('AWS::KMS::Key')).toBeGreaterThanOrEqual(3);
      }
    },
  );

  // CloudFormation deletes in reverse dependency order: the workload (its Ingress, so the ALB and,
  // through ExternalDNS, the service's record) goes while ExternalDNS still runs; a private zone that
  // still holds records cannot be deleted (Amazon Route 53 API Reference, "DeleteHostedZone":
  // HostedZoneNotEmpty while records other than the default SOA and NS remain).
  it('removes the workload before ExternalDNS, which removes the record before its zone goes', () => {
    const [workload] = logicalIdsOf(stack, stack.workload!.manifest, kubernetesResourceType);
    const externalDns = Object.entries(resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart')).find(
      ([, chart]) => chart.Properties?.['Chart'] === 'external-dns',
    );
    expect(resourcesOf(template, kubernetesResourceType)[workload ?? '']?.DependsOn).toContain(
      externalDns?.[0],
    );
    expect(JSON.stringify(externalDns?.[1].Properties?.['Values'])).toContain('--events');
  });
});
