import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { kubernetesResourceType, logicalIdsOf } from '../testing/kubernetes-manifest.ts';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';
import type { AdotCollector } from './observability/adot-collector.ts';

describe.each(environmentNames)('EKS Fargate cluster (%s)', (env) => {
  const { template, config, stack } = synthesized(env);
  // Everything the platform applies, without the order-service chart (order-service-workload.test.ts).
  // The charts (the workload, the ADOT collector) hold workloads by design.
  const collector = stack.node.findChild('AdotCollector') as AdotCollector;
  const chartIds = [
    ...(stack.workload ? logicalIdsOf(stack, stack.workload.manifest, kubernetesResourceType) : []),
    ...logicalIdsOf(stack, collector.manifest, kubernetesResourceType),
  ];
  const manifests = Object.entries(resourcesOf(template, kubernetesResourceType))
    .filter(([logicalId]) => !chartIds.includes(logicalId))
    .map(([, resource]) => JSON.stringify(resource.Properties?.['Manifest']));
  const helmCharts = Object.values(resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart'));

  it('runs Kubernetes 1.34 with all five control-plane log types', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Name: config.cluster.clusterName,
      Version: '1.34',
      Logging: {
        ClusterLogging: {
          EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map(
            (type) => ({ Type: type }),
          ),
        },
      },
    });
  });

  it(
    env === 'dev'
      ? 'has a private API endpoint, public only from the configured CIDRs'
      : 'has a private-only API endpoint',
    () => {
      template.hasResourceProperties('AWS::EKS::Cluster', {
        ResourcesVpcConfig: Match.objectLike(
          env === 'dev'
            ? {
                EndpointPrivateAccess: true,
                EndpointPublicAccess: true,
                PublicAccessCidrs: ['203.0.113.0/24'],
              }
            : { EndpointPrivateAccess: true, EndpointPublicAccess: false },
        ),
      });
    },
  );

  // "Send control plane logs to CloudWatch Logs": the log group is /aws/eks/<cluster>/cluster; EKS
  // would create it without retention, so ours exists before the cluster.
  it('keeps control-plane logs in a log group with retention that exists before the cluster', () => {
    const [logGroupId, logGroup] =
      Object.entries(resourcesOf(template, 'AWS::Logs::LogGroup')).find(
        ([, group]) =>
          group.Properties?.['LogGroupName'] === `/aws/eks/${config.cluster.clusterName}/cluster`,
      ) ?? [];
    expect(logGroup?.Properties?.['RetentionInDays']).toBe(
      config.cluster.controlPlaneLogRetentionDays,
    );
    const [cluster] = Object.values(resourcesOf(template, 'AWS::EKS::Cluster'));
    expect(cluster?.DependsOn).toContain(logGroupId);
  });

  it('envelope-encrypts Kubernetes secrets with a rotating customer key', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [
        {
          Provider: {
            KeyArn: {
              'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterSecretsEncryptionKey'), 'Arn'],
            },
          },
          Resources: ['secrets'],
        },
      ],
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('Kubernetes secrets'),
      EnableKeyRotation: true,
    });
  });

  it('ships kubectl through the v34 Lambda layer', () => {
    template.hasResourceProperties('AWS::Lambda::LayerVersion', {
      Description: Match.stringLikeRegexp('kubectl'),
    });
  });

  it('gives the configured admin role cluster-admin through an access entry', () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: config.cluster.adminRoleArn,
      AccessPolicies: [
        Match.objectLike({
          AccessScope: { Type: 'cluster' },
          PolicyArn: {
            'Fn::Join': [
              '',
              Match.arrayWith([Match.stringLikeRegexp('AmazonEKSClusterAdminPolicy')]),
            ],
          },
        }),
      ],
    });
  });

  it('schedules CoreDNS via the system profile and the order service via its own profile, in private subnets', () => {
    const podSubnets = Object.entries(resourcesOf(template, 'AWS::EC2::Subnet'))
      .filter(([, s]) => JSON.stringify(s.Properties?.['Tags']).includes('"Value":"pods"'))
      .map(([id]) => ({ Ref: id }));
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      FargateProfileName: 'system',
      Selectors: Match.arrayWith([{ Labels: [], Namespace: 'kube-system' }]),
      Subnets: podSubnets,
    });
    template.hasResourceProperties('AWS::EKS::FargateProfile', {
      FargateProfileName: 'order-service',
      Selectors: [{ Labels: [], Namespace: 'order-service' }],
      Subnets: podSubnets,
      PodExecutionRoleArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterServicePodExecutionRole'), 'Arn'],
      },
    });
  });

  it('lets only Fargate profiles of this cluster assume the pod execution role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
            Condition: {
              ArnLike: {
                'aws:SourceArn': `arn:aws:eks:${config.region}:${config.account}:fargateprofile/${config.cluster.clusterName}/*`,
              },
            },
          }),
        ],
      },
    });
  });

  it('installs the AWS Load Balancer Controller with region and vpcId set (Fargate has no IMDS)', () => {
    const alb = helmCharts.find((c) => c.Properties?.['Chart'] === 'aws-load-balancer-controller');
    const values = JSON.stringify(alb?.Properties?.['Values']);
    expect(values).toContain(`\\"region\\":\\"${config.region}\\"`);
    expect(values).toMatch(/\\"vpcId\\":\\"",\{"Ref":"NetworkVpc/);
    expect(values).toContain(`602401143452.dkr.ecr.${config.region}.amazonaws.com`);
  });

  it('creates the order-service namespace with restricted Pod Security and ALB readiness gates', () => {
    const namespace = manifests.find((m) => m.includes('\\"kind\\":\\"Namespace\\"'));
    expect(namespace).toContain('\\"name\\":\\"order-service\\"');
    expect(namespace).toContain('\\"pod-security.kubernetes.io/enforce\\":\\"restricted\\"');
    expect(namespace).toContain('\\"elbv2.k8s.aws/pod-readiness-gate-inject\\":\\"enabled\\"');
  });

  it('leaves all workloads to the chart', () => {
    expect(
      manifests.filter((m) => /\\"kind\\":\\"(Deployment|Service|Ingress)\\"/.test(m)),
    ).toEqual([]);
  });
});
