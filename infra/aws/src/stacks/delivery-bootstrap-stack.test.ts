import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { deliveryConfigFor, deployRoleArn } from '../config/delivery.ts';
import {
  awsSolutionsReport,
  environmentNames,
  resourcesOf,
  synthesized,
  type Resource,
} from '../testing/synthesized.ts';

interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Principal?: Record<string, unknown>;
  readonly Condition?: Record<string, Record<string, string>>;
}

const actionsOf = (statements: readonly PolicyStatement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe.each(environmentNames)('the %s delivery bootstrap stack', (env) => {
  const { deliveryStack: stack, config } = synthesized(env);
  const template = Template.fromStack(stack);
  const delivery = deliveryConfigFor(env);
  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const role = (id: string) => resourcesOf(template, 'AWS::IAM::Role')[id] as Resource;
  const deployRole = role(logicalId(stack.deployRole));
  const inlineStatements = (r: Resource) =>
    (r.Properties?.['Policies'] as { PolicyDocument: { Statement: PolicyStatement[] } }[]).flatMap(
      (p) => p.PolicyDocument.Statement,
    );
  const boundaryStatements = (
    resourcesOf(template, 'AWS::IAM::ManagedPolicy')[logicalId(stack.boundary)]?.Properties?.[
      'PolicyDocument'
    ] as { Statement: PolicyStatement[] }
  ).Statement;

  // "Configuring OpenID Connect in Amazon Web Services" (GitHub docs): provider URL
  // https://token.actions.githubusercontent.com, audience sts.amazonaws.com for the official action.
  it("trusts GitHub Actions' OIDC issuer for the sts.amazonaws.com audience", () => {
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  // Same page: a job in an environment has the subject repo:ORG/REPO:environment:NAME.
  it(`lets only this repository's jobs in the GitHub environment ${delivery.deployEnvironment} assume the deploy role`, () => {
    const trust = (
      deployRole.Properties?.['AssumeRolePolicyDocument'] as {
        Statement: PolicyStatement[];
      }
    ).Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Effect: 'Allow',
      Principal: { Federated: { Ref: expect.stringMatching(/^GitHubOidcProvider/) } },
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': `repo:mallhive/order-platform:environment:${env}`,
        },
      },
    });
    expect(Object.keys(trust[0]?.Condition ?? {})).toEqual(['StringEquals']);
  });

  it('is named so the platform stack and the workflow find it, and its sessions last an hour', () => {
    expect(deployRole.Properties).toMatchObject({
      RoleName: `mallhive-github-deploy-${env}`,
      MaxSessionDuration: 3600,
    });
    expect(deployRoleArn(config)).toBe(
      `arn:aws:iam::${config.account}:role/mallhive-github-deploy-${env}`,
    );
  });

  it('caps the deploy role with a permissions boundary that holds exactly its own rights', () => {
    expect(deployRole.Properties?.['PermissionsBoundary']).toEqual({
      Ref: logicalId(stack.boundary),
    });
    expect(actionsOf(boundaryStatements).sort()).toEqual(
      actionsOf(inlineStatements(deployRole)).sort(),
    );
  });

  it('may never touch IAM or change resources itself: cdk deploy works through the CDK roles', () => {
    const actions = actionsOf(boundaryStatements);
    expect(actions.filter((a) => a.startsWith('iam:') || a.includes('*'))).toEqual([]);
    expect(actions.filter((a) => /^(cloudformation|eks|elasticloadbalancing):/.test(a))).toEqual([
      'cloudformation:DescribeStacks',
      'cloudformation:GetTemplate',
      'eks:DescribeCluster',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetHealth',
    ]);
    const assumable = boundaryStatements.find((s) => s.Sid === 'UseCdkBootstrapRoles')?.Resource;
    expect(JSON.stringify(assumable)).toMatch(/cdk-hnb659fds-deploy-role-/);
    expect(JSON.stringify(assumable)).not.toMatch(/cloudformation-execution-role/);
  });

  it('has no long-lived credentials: no IAM users, no access keys', () => {
    template.resourceCountIs('AWS::IAM::User', 0);
    template.resourceCountIs('AWS::IAM::AccessKey', 0);
  });

  it('has no unacknowledged cdk-nag AwsSolutions finding', () => {
    const report = awsSolutionsReport(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('dev, the account that builds', () => {
  const { deliveryStack: stack } = synthesized('dev');
  const template = Template.fromStack(stack);
  const json = JSON.stringify(template.toJSON());

  it('may push the image (and its signature and SBOM attestation) to its repository', () => {
    expect(json).toContain('"Sid":"PushImages"');
    expect(json).toContain('ecr:PutImage');
  });

  // "Configuring private image replication in Amazon ECR"; referrers (signatures, SBOMs) are
  // replicated with their images ("Amazon ECR supports OCI Image and Distribution 1.1", AWS What's
  // New, 2024-06-27).
  it("replicates the order service repository into prod's registry, where prod pulls by digest", () => {
    template.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
      ReplicationConfiguration: {
        Rules: [
          {
            Destinations: [{ Region: 'eu-central-1', RegistryId: '222222222222' }],
            RepositoryFilters: [{ Filter: 'mallhive-order-service', FilterType: 'PREFIX_MATCH' }],
          },
        ],
      },
    });
  });

  it('needs no preview role: dev deploys without approval', () => {
    expect(stack.previewRole).toBeUndefined();
    template.resourceCountIs('AWS::IAM::Role', 1);
  });
});

describe('prod, the account that only runs what dev built', () => {
  const { deliveryStack: stack } = synthesized('prod');
  const template = Template.fromStack(stack);
  const json = JSON.stringify(template.toJSON());

  it('can never push an image: prod never rebuilds', () => {
    for (const action of ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload']) {
      expect(json).not.toContain(action);
    }
  });

  // "Granting registry permissions for cross account replication in Amazon ECR": the destination
  // registry policy grants the source account ecr:ReplicateImage.
  it("lets dev's registry replicate into the existing repository, and nothing else", () => {
    template.hasResourceProperties('AWS::ECR::RegistryPolicy', {
      PolicyText: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: {
              AWS: ['arn:aws:iam::111111111111:root'],
            },
            Action: ['ecr:ReplicateImage'],
            Resource: 'arn:aws:ecr:eu-central-1:222222222222:repository/mallhive-order-service',
          },
        ],
      },
    });
  });

  it('gives the prod-preview environment a read-only role for the diff the approver reads', () => {
    const preview = stack.previewRole;
    if (!preview) throw new Error('prod needs a preview role');
    const resource = resourcesOf(template, 'AWS::IAM::Role')[
      stack.getLogicalId(preview.node.defaultChild as CfnElement)
    ]!;
    const trust = JSON.stringify(resource.Properties?.['AssumeRolePolicyDocument']);
    expect(trust).toContain('repo:mallhive/order-platform:environment:prod-preview');
    const statements = (
      resource.Properties?.['Policies'] as { PolicyDocument: { Statement: PolicyStatement[] } }[]
    ).flatMap((p) => p.PolicyDocument.Statement);
    const text = JSON.stringify(statements);
    expect(text).toMatch(/cdk-hnb659fds-lookup-role-/);
    expect(text).not.toMatch(/cdk-hnb659fds-deploy-role-|file-publishing/);
    expect(
      actionsOf(statements).every((a) =>
        /:(Describe|Get|List|BatchGet|BatchCheck)|sts:AssumeRole$/.test(a),
      ),
    ).toBe(true);
  });
});
