import { describe, expect, it } from 'vitest';
import {
  describeManifestDiff,
  kubernetesObjects,
  manifestDiff,
  type CloudFormationTemplate,
} from './manifest-diff.ts';

const digest = (byte: string) => `sha256:${byte.repeat(32)}`;

/** A template as CDK writes the chart: the manifest is a Fn::Join around deploy-time values. */
function template(image: string, replicas = 2, extra: object[] = []): CloudFormationTemplate {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'order-service', namespace: 'order-service' },
    spec: {
      replicas,
      template: { spec: { containers: [{ name: 'order-service', image: `@@REPO@@@${image}` }] } },
    },
  };
  const [before, after] = JSON.stringify([deployment, ...extra]).split('@@REPO@@');
  return {
    Resources: {
      ClusterOrderServiceChart1234: {
        Type: 'Custom::AWSCDK-EKS-KubernetesResource',
        Properties: {
          Manifest: {
            'Fn::Join': [
              '',
              [before, { 'Fn::GetAtt': ['RegistryRepository', 'RepositoryUri'] }, after],
            ],
          },
        },
      },
      RegistryRepository: { Type: 'AWS::ECR::Repository', Properties: {} },
    },
  };
}

describe('the Kubernetes manifest diff shown before approval', () => {
  it('reads every chart object out of the template, with deploy-time values as placeholders', () => {
    const objects = kubernetesObjects(template(digest('aa')));
    expect([...objects.keys()]).toEqual(['Deployment order-service/order-service']);
    expect(JSON.stringify(objects.get('Deployment order-service/order-service'))).toContain(
      `\${RegistryRepository.RepositoryUri}@${digest('aa')}`,
    );
  });

  it('renders nested intrinsics (how CDK spells an ECR URI) as short expressions', () => {
    const arn = { 'Fn::GetAtt': ['Repo', 'Arn'] };
    const manifest = {
      'Fn::Join': [
        '',
        [
          '[{"kind":"ConfigMap","metadata":{"name":"x","namespace":"n"},"data":{"host":"',
          { 'Fn::Select': [4, { 'Fn::Split': [':', arn] }] },
          '.dkr.ecr.',
          { Ref: 'AWS::URLSuffix' },
          '"}}]',
        ],
      ],
    };
    const objects = kubernetesObjects({
      Resources: {
        M: { Type: 'Custom::AWSCDK-EKS-KubernetesResource', Properties: { Manifest: manifest } },
      },
    });
    expect(objects.get('ConfigMap n/x')).toMatchObject({
      data: { host: "${Select(4, Split(':', Repo.Arn))}.dkr.ecr.${AWS::URLSuffix}" },
    });
  });

  it('shows the new image digest as a one-line YAML change', () => {
    const diff = manifestDiff(template(digest('aa')), template(digest('bb')));
    expect(diff.changed).toEqual(['Deployment order-service/order-service']);
    const line = (sign: string, byte: string) =>
      `\n${sign}          image: \${RegistryRepository.RepositoryUri}@${digest(byte)}\n`;
    expect(diff.patch).toContain(line('-', 'aa'));
    expect(diff.patch).toContain(line('+', 'bb'));
    expect(describeManifestDiff(diff)).toMatch(
      /^- Changed: `Deployment order-service\/order-service`\n\n```diff\n/,
    );
  });

  it('lists added and removed objects, and everything is added on a first deploy', () => {
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'extra', namespace: 'order-service' },
    };
    expect(
      manifestDiff(template(digest('aa')), template(digest('aa'), 2, [configMap])),
    ).toMatchObject({
      added: ['ConfigMap order-service/extra'],
      removed: [],
      changed: [],
    });
    expect(
      manifestDiff(template(digest('aa'), 2, [configMap]), template(digest('aa'))),
    ).toMatchObject({
      removed: ['ConfigMap order-service/extra'],
    });
    expect(manifestDiff(undefined, template(digest('aa'))).added).toHaveLength(1);
  });

  it('says so when no Kubernetes object changes', () => {
    const diff = manifestDiff(template(digest('aa')), template(digest('aa')));
    expect(diff.patch).toBe('');
    expect(describeManifestDiff(diff)).toBe('No Kubernetes object changes.\n');
  });
});
