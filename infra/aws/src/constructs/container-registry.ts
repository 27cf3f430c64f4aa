import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface ContainerRegistryProps {
  readonly repositoryName: string;
  /** Roles that pull images (the Fargate pod execution role). */
  readonly pullers: readonly iam.IGrantable[];
  /** Tagged images kept; older ones expire. */
  readonly keepTaggedImages?: number;
  /** RETAIN keeps repository and key when the stack is deleted; DESTROY deletes both, images too. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The ECR repository of the order service image: immutable tags (a tag always means the same image),
 * enhanced (Amazon Inspector) scanning, KMS encryption, and lifecycle rules so storage does not grow
 * without bound.
 */
export class ContainerRegistry extends Construct {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    const encryptionKey = new kms.Key(this, 'Key', {
      description: `Encrypts images in ECR repository ${props.repositoryName}`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    this.repository = new ecr.Repository(this, 'Repository', {
      repositoryName: props.repositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE,
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.KMS,
      encryptionKey,
      removalPolicy: props.removalPolicy,
      emptyOnDelete: props.removalPolicy === RemovalPolicy.DESTROY,
      lifecycleRules: [
        {
          rulePriority: 1,
          description: 'Expire untagged images after 7 days',
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(7),
        },
        {
          rulePriority: 2,
          description: `Keep the newest ${props.keepTaggedImages ?? 50} tagged images`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: ['*'],
          maxImageCount: props.keepTaggedImages ?? 50,
        },
      ],
    });
    // Registry-wide setting (one per account and region): Amazon Inspector scans the repository on
    // push and again whenever a new CVE affects an image, so a finding published after the build
    // still blocks promotion to prod (tools/delivery scan gate).
    new ecr.CfnRegistryScanningConfiguration(this, 'EnhancedScanning', {
      scanType: 'ENHANCED',
      rules: [
        {
          scanFrequency: 'CONTINUOUS_SCAN',
          repositoryFilters: [{ filter: props.repositoryName, filterType: 'WILDCARD' }],
        },
      ],
    });
    for (const puller of props.pullers) {
      this.repository.grantPull(puller);
      // Layers are KMS-encrypted: pulling needs decrypt on the repository key.
      encryptionKey.grantDecrypt(puller);
      if (Construct.isConstruct(puller)) {
        Validations.of(puller).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'ecr:GetAuthorizationToken has no resource-level permissions; image reads are limited to this repository.',
        });
      }
    }
  }
}
