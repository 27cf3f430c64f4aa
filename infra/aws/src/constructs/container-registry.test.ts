import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environmentNames, statementsOfRole, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('ECR repository (%s)', (env) => {
  const { template, stack } = synthesized(env);

  it('is mallhive-order-service with immutable tags, scan on push and KMS encryption', () => {
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'mallhive-order-service',
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: {
        EncryptionType: 'KMS',
        KmsKey: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RegistryKey'), 'Arn'] },
      },
    });
  });

  // AWS::ECR::RegistryScanningConfiguration (CloudFormation reference): with ENHANCED, the supported
  // frequencies are CONTINUOUS_SCAN and SCAN_ON_PUSH; "When the ENHANCED scan type is set, Amazon
  // Inspector provides automated vulnerability scanning" (ECR API, PutRegistryScanningConfiguration).
  it('turns on enhanced, continuous scanning for the repository', () => {
    template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [
        {
          ScanFrequency: 'CONTINUOUS_SCAN',
          RepositoryFilters: [{ Filter: 'mallhive-order-service', FilterType: 'WILDCARD' }],
        },
      ],
    });
  });

  it('expires untagged images after 7 days and keeps the newest 50 tagged ones', () => {
    const [repository] = Object.values(template.findResources('AWS::ECR::Repository'));
    const policy = JSON.parse(
      (repository?.['Properties'] as { LifecyclePolicy: { LifecyclePolicyText: string } })
        .LifecyclePolicy.LifecyclePolicyText,
    ) as { rules: { selection: Record<string, unknown> }[] };
    expect(policy.rules.map((rule) => rule.selection)).toEqual([
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7, countUnit: 'days' },
      {
        tagStatus: 'tagged',
        tagPatternList: ['*'],
        countType: 'imageCountMoreThan',
        countNumber: 50,
      },
    ]);
  });

  it('lets the Fargate pod execution role pull from this repository and decrypt its layers', () => {
    const role = stack.node.findChild('Cluster').node.findChild('ServicePodExecutionRole');
    const statements = statementsOfRole(
      template,
      stack.getLogicalId(role.node.defaultChild as CfnElement),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
        ],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RegistryRepository/), 'Arn'] },
      }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^RegistryKey/), 'Arn'] },
      }),
    );
  });
});
