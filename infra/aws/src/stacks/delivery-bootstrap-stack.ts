import { CfnOutput, Duration, Stack, Token, Validations, type StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { deployRoleName, platformStackName, type DeliveryConfig } from '../config/delivery.ts';
import type { EnvironmentConfig } from '../config/environment-config.ts';

export interface DeliveryBootstrapStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly delivery: DeliveryConfig;
}

/** The issuer of GitHub Actions' OIDC tokens and the audience aws-actions/configure-aws-credentials asks for. */
export const githubOidc = {
  issuer: 'token.actions.githubusercontent.com',
  audience: 'sts.amazonaws.com',
} as const;

/**
 * What the deploy workflow needs in one account, deployed once by an administrator before the
 * platform stack (the pipeline never deploys this stack, so it cannot widen its own rights):
 *
 * - the GitHub OIDC provider, so jobs trade a short-lived GitHub token for AWS credentials (no keys);
 * - the deploy role, assumable only by this repository's jobs in the environment's GitHub
 *   environment (`repo:<owner>/<name>:environment:<env>`), capped by a permissions boundary;
 * - where deploys need approval, a read-only preview role for the diff shown before it;
 * - ECR replication from the account that builds images to the accounts that only run them.
 */
export class DeliveryBootstrapStack extends Stack {
  readonly deployRole: iam.Role;
  readonly previewRole?: iam.Role;
  readonly boundary: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: DeliveryBootstrapStackProps) {
    const { config, delivery } = props;
    super(scope, id, {
      ...props,
      env: { account: config.account, region: config.region },
      description: `Mallhive order platform (${config.envName}): GitHub OIDC deploy identity and image promotion`,
    });

    const provider = new iam.OidcProviderNative(this, 'GitHubOidcProvider', {
      url: `https://${githubOidc.issuer}`,
      clientIds: [githubOidc.audience],
    });
    const jobsIn = (environment: string) =>
      new iam.OpenIdConnectPrincipal(provider, {
        StringEquals: {
          [`${githubOidc.issuer}:aud`]: githubOidc.audience,
          [`${githubOidc.issuer}:sub`]: `repo:${delivery.githubRepository}:environment:${environment}`,
        },
      });

    const permissions = new DeliveryPermissions(this, config, delivery);
    // The most any delivery role may ever do, whatever is later attached to it.
    this.boundary = new iam.ManagedPolicy(this, 'DeployBoundary', {
      managedPolicyName: `${deployRoleName(config.envName)}-boundary`,
      description: `Permissions boundary of the GitHub deploy roles (${config.envName})`,
      statements: permissions.deploy,
    });

    this.deployRole = new iam.Role(this, 'DeployRole', {
      roleName: deployRoleName(config.envName),
      description: `GitHub Actions deploys to ${config.envName} (environment ${delivery.deployEnvironment})`,
      assumedBy: jobsIn(delivery.deployEnvironment),
      maxSessionDuration: Duration.hours(1),
      permissionsBoundary: this.boundary,
      inlinePolicies: { Deliver: new iam.PolicyDocument({ statements: permissions.deploy }) },
    });
    new CfnOutput(this, 'DeployRoleArn', {
      value: this.deployRole.roleArn,
      description: `Variable AWS_ROLE_ARN of GitHub environment ${delivery.deployEnvironment}`,
    });

    if (delivery.previewEnvironment) {
      this.previewRole = new iam.Role(this, 'PreviewRole', {
        roleName: `${deployRoleName(config.envName)}-preview`,
        description: `GitHub Actions reads what a deploy to ${config.envName} would change (environment ${delivery.previewEnvironment})`,
        assumedBy: jobsIn(delivery.previewEnvironment),
        maxSessionDuration: Duration.hours(1),
        permissionsBoundary: this.boundary,
        inlinePolicies: { Preview: new iam.PolicyDocument({ statements: permissions.preview }) },
      });
      new CfnOutput(this, 'PreviewRoleArn', {
        value: this.previewRole.roleArn,
        description: `Variable AWS_ROLE_ARN of GitHub environment ${delivery.previewEnvironment}`,
      });
    }

    this.promoteImages(config, delivery);
    this.acknowledgeUnscopableActions(config);
  }

  /**
   * Cross-account replication copies every image pushed to the build account, with its referrers
   * (cosign signature, SBOM attestation), into the repository of the same name in the other
   * accounts, so prod pulls the very digest dev ran without ever building.
   */
  private promoteImages(config: EnvironmentConfig, delivery: DeliveryConfig): void {
    if (delivery.replicateImagesTo.length > 0) {
      new ecr.CfnReplicationConfiguration(this, 'ImageReplication', {
        replicationConfiguration: {
          rules: [
            {
              destinations: delivery.replicateImagesTo.map((to) => ({
                region: to.region,
                registryId: to.account,
              })),
              repositoryFilters: [{ filter: config.repositoryName, filterType: 'PREFIX_MATCH' }],
            },
          ],
        },
      });
    }
    if (delivery.acceptImagesFrom.length > 0) {
      new ecr.CfnRegistryPolicy(this, 'AcceptReplicatedImages', {
        policyText: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ReplicateFromTheBuildAccount',
              Effect: 'Allow',
              Principal: {
                AWS: delivery.acceptImagesFrom.map(
                  (account) => `arn:${this.partition}:iam::${account}:root`,
                ),
              },
              // No ecr:CreateRepository: images may only land in the repository the platform
              // stack owns (immutable tags, KMS, lifecycle); without it replication fails loudly.
              Action: ['ecr:ReplicateImage'],
              Resource: this.formatArn({
                service: 'ecr',
                resource: 'repository',
                resourceName: config.repositoryName,
              }),
            },
          ],
        },
      });
    }
  }

  private acknowledgeUnscopableActions(config: EnvironmentConfig): void {
    const reason =
      'ecr:GetAuthorizationToken, inspector2:List* and elasticloadbalancing:Describe* have no resource-level permissions; CloudFormation stack ARNs end in a generated id. Everything else names its resource.';
    // cdk-nag names the partition as the template has it: a literal with the partition-literals flag
    // (cdk.json) and a known region, `<AWS::Partition>` otherwise.
    const partition = Token.isUnresolved(this.partition) ? '<AWS::Partition>' : this.partition;
    for (const construct of [this.boundary, this.deployRole, this.previewRole]) {
      if (!construct) continue;
      Validations.of(construct).acknowledge(
        { id: 'AwsSolutions-IAM5[Resource::*]', reason },
        {
          id: `AwsSolutions-IAM5[Resource::arn:${partition}:cloudformation:${this.region}:${this.account}:stack/${platformStackName(config.envName)}/*]`,
          reason,
        },
      );
    }
  }
}

/** The statements of the two roles; the deploy role's set is also the boundary of both. */
class DeliveryPermissions {
  readonly deploy: iam.PolicyStatement[];
  readonly preview: iam.PolicyStatement[];

  constructor(stack: Stack, config: EnvironmentConfig, delivery: DeliveryConfig) {
    const { account, region, partition } = stack;
    const cdkRole = (kind: string) =>
      `arn:${partition}:iam::${account}:role/cdk-${delivery.cdkQualifier}-${kind}-role-${account}-${region}`;
    const repositoryArn = stack.formatArn({
      service: 'ecr',
      resource: 'repository',
      resourceName: config.repositoryName,
    });
    const statement = (sid: string, actions: string[], resources: string[]) =>
      new iam.PolicyStatement({ sid, actions, resources });

    const readPlatformStack = statement(
      'ReadPlatformStack',
      ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate'],
      [
        stack.formatArn({
          service: 'cloudformation',
          resource: 'stack',
          resourceName: `${platformStackName(config.envName)}/*`,
        }),
      ],
    );
    const signInToRegistry = statement('SignInToRegistry', ['ecr:GetAuthorizationToken'], ['*']);
    const readImages = statement(
      'ReadImages',
      [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:DescribeImages',
        'ecr:ListImages',
        'ecr:DescribeImageScanFindings',
      ],
      [repositoryArn],
    );
    // Enhanced scan findings come from Amazon Inspector ("IAM permissions required for enhanced
    // scanning in Amazon ECR").
    const readScanFindings = statement(
      'ReadScanFindings',
      ['inspector2:ListFindings', 'inspector2:ListCoverage'],
      ['*'],
    );

    this.preview = [
      statement('ReadDeployedTemplates', ['sts:AssumeRole'], [cdkRole('lookup')]),
      readPlatformStack,
      signInToRegistry,
      readImages,
      readScanFindings,
    ];
    this.deploy = [
      // cdk deploy works through the bootstrap roles; this role itself changes no resource.
      statement(
        'UseCdkBootstrapRoles',
        ['sts:AssumeRole'],
        [cdkRole('deploy'), cdkRole('file-publishing'), cdkRole('lookup')],
      ),
      readPlatformStack,
      signInToRegistry,
      readImages,
      ...(delivery.buildsImages
        ? [
            // The signature and SBOM attestation are pushed as referrers of the image, too.
            statement(
              'PushImages',
              [
                'ecr:InitiateLayerUpload',
                'ecr:UploadLayerPart',
                'ecr:CompleteLayerUpload',
                'ecr:PutImage',
              ],
              [repositoryArn],
            ),
          ]
        : []),
      readScanFindings,
      // The rollout gate: the cluster endpoint for its kubeconfig, then ALB target health.
      statement(
        'FindCluster',
        ['eks:DescribeCluster'],
        [
          stack.formatArn({
            service: 'eks',
            resource: 'cluster',
            resourceName: config.cluster.clusterName,
          }),
        ],
      ),
      statement(
        'ReadTargetHealth',
        ['elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTargetGroups'],
        ['*'],
      ),
    ];
  }
}
