import { provisionedFargateSize } from '@mallhive/infra-k8s';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { describe, expect, it } from 'vitest';
import { placeholderImageTag } from '../config/shared-settings.ts';
import {
  kubernetesResourceType,
  logicalIdsOf,
  manifestObjects,
  tokenText,
  type KubernetesObject,
} from '../testing/kubernetes-manifest.ts';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';
import { PlaceholderImageGuard } from './placeholder-image-guard.ts';

const builtImageTag = '3f9c2d1e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e';

function objectOf(objects: KubernetesObject[], kind: string, name?: string): KubernetesObject {
  const found = objects.find(
    (o) => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in the chart manifest`);
  return found;
}

/** The CloudFormation rule that makes a template with the placeholder tag undeployable. */
function guardRuleOf(template: Template) {
  const rules = (template.toJSON()['Rules'] ?? {}) as Record<
    string,
    { Assertions: { AssertDescription: string }[] } | undefined
  >;
  return rules[PlaceholderImageGuard.ruleId];
}

function podSpecOf(objects: KubernetesObject[]) {
  const deployment = objectOf(objects, 'Deployment', 'order-service') as unknown as {
    spec: { template: { spec: { serviceAccountName: string; containers: { image: string }[] } } };
  };
  return deployment.spec.template.spec;
}

describe.each(environmentNames)('the order-service workload in the %s stack', (env) => {
  const { stack, template, config } = synthesized(env);
  const workload = stack.workload;
  if (!workload) throw new Error('the default template must contain the workload');
  const objects = manifestObjects(template, stack, workload.manifest);
  const prerequisites = manifestObjects(template, stack, workload.prerequisites);
  const logRouting = manifestObjects(template, stack, stack.podLogRouterConfig);
  const idOf = (manifest: eks.KubernetesManifest) =>
    logicalIdsOf(stack, manifest, kubernetesResourceType)[0] ?? '';
  const chartId = idOf(workload.manifest);
  const chartResource = resourcesOf(template, kubernetesResourceType)[chartId];

  it('applies the workload as one Kubernetes resource, with CDK tokens resolved at deploy time', () => {
    expect(chartResource?.Properties?.['Manifest']).toHaveProperty('Fn::Join');
    expect(objects.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'Service', 'Ingress', 'HorizontalPodAutoscaler']),
    );
  });

  // Fargate attaches a pod's security groups and reads its logging config only when the pod is
  // created: AWS, "Use a security group policy for an Amazon EKS Pod" ("Security group policies only
  // apply to newly scheduled Pods") and "Start AWS Fargate logging for your cluster" ("Any changes to
  // a ConfigMap are applied to new Pods only"). Array order inside one manifest is not enough.
  it('creates no pod before its SecurityGroupPolicy and logging config exist (CloudFormation DependsOn)', () => {
    expect(prerequisites.map((o) => o.kind)).toEqual(['SecurityGroupPolicy']);
    expect(logRouting.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/aws-observability',
      'ConfigMap/aws-logging',
    ]);
    expect(objects.filter((o) => ['SecurityGroupPolicy', 'ConfigMap'].includes(o.kind))).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ name: 'order-service-env' }) }),
    ]);
    expect(chartResource?.DependsOn).toEqual(
      expect.arrayContaining([idOf(workload.prerequisites), idOf(stack.podLogRouterConfig)]),
    );
  });

  it("runs the image from the stack's ECR repository with the configured tag", () => {
    const [container] = podSpecOf(objects).containers;
    expect(container?.image).toBe(
      `${tokenText(stack, stack.repository.repositoryUri)}:${config.imageTag}`,
    );
  });

  // Security groups, the IRSA role and the logging config reach a pod only when it is created (see
  // pod-creation-inputs.test.ts in infra/k8s); their deploy-time values are in the pod template, so a
  // replaced group or role changes the template and rolls the pods.
  it('puts the deploy-time pod security group and IRSA role into the pod template', () => {
    const deployment = objectOf(objects, 'Deployment', 'order-service') as unknown as {
      spec: { template: { metadata: { annotations: Record<string, string> } } };
    };
    const atDeploy =
      deployment.spec.template.metadata.annotations['mallhive.com/pod-inputs-at-deploy'];
    expect(atDeploy).toContain(tokenText(stack, stack.podSecurityGroup.securityGroupId));
    expect(atDeploy).toContain(tokenText(stack, stack.serviceAccount.role.roleArn));
    expect(atDeploy).toContain(tokenText(stack, stack.logGroup.logGroupName));
  });

  // AWS, "Understand Fargate Pod configuration details": Fargate sizes the pod from its requests,
  // adds 256 MB and rounds up to a listed combination; requests that fill one waste nothing.
  it('requests exactly a Fargate size once Fargate adds its 256 MiB', () => {
    const pod = objectOf(objects, 'Deployment', 'order-service') as unknown as {
      spec: {
        template: { spec: { containers: { resources: { requests: Record<string, string> } }[] } };
      };
    };
    const { requests } = pod.spec.template.spec.containers[0]!.resources;
    const requested = {
      cpuMillis: Number(requests['cpu']?.replace(/m$/, '')),
      memoryMebibytes: Number(requests['memory']?.replace(/Mi$/, '')),
    };
    expect(requested).toEqual(config.workload.resources);
    expect(provisionedFargateSize(requested)).toEqual({
      cpuMillis: requested.cpuMillis,
      memoryMebibytes: requested.memoryMebibytes + 256,
    });
  });

  // AWS, "Define which Pods use AWS Fargate when launched": "Fargate does not currently support
  // Kubernetes topologySpreadConstraints" and "Amazon EKS and Fargate spread Pods across each of the
  // subnets that's defined in the Fargate profile. However, you might end up with an uneven spread."
  // The decision (docs/infrastructure.md, "Zones"): no claimed spread; one profile over every zone.
  it('claims no zone spread Fargate ignores, and its Fargate profile covers a subnet in every zone', () => {
    const pod = objectOf(objects, 'Deployment', 'order-service') as unknown as {
      spec: { template: { spec: Record<string, unknown> } };
    };
    expect(pod.spec.template.spec).not.toHaveProperty('topologySpreadConstraints');
    const profile = Object.values(resourcesOf(template, 'AWS::EKS::FargateProfile')).find(
      (p) => p.Properties?.['FargateProfileName'] === config.serviceNamespace,
    );
    const subnets = resourcesOf(template, 'AWS::EC2::Subnet');
    const zones = (profile?.Properties?.['Subnets'] as { Ref: string }[]).map(
      (subnet) => subnets[subnet.Ref]?.Properties?.['AvailabilityZone'],
    );
    expect(new Set(zones)).toEqual(new Set(config.network.availabilityZones));
  });

  it('runs as the IRSA service account CDK creates and never defines a service account itself', () => {
    expect(podSpecOf(objects).serviceAccountName).toBe(stack.serviceAccount.serviceAccountName);
    expect(objects.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
  });

  it('leaves the order-service Namespace to CDK and the log router to the platform', () => {
    const namespaces = [...prerequisites, ...objects].filter((o) => o.kind === 'Namespace');
    expect(namespaces).toEqual([]);
    expect(objectOf(objects, 'Deployment').metadata.namespace).toBe(config.serviceNamespace);
  });

  it("attaches the stack's pod security group to the pods (pod-security-group.test.ts: why only it)", () => {
    const policy = objectOf(prerequisites, 'SecurityGroupPolicy') as unknown as {
      spec: { securityGroups: { groupIds: string[] } };
    };
    expect(policy.spec.securityGroups.groupIds).toEqual([
      tokenText(stack, stack.podSecurityGroup.securityGroupId),
    ]);
  });

  it("terminates TLS on the ALB with the stack's certificate for the configured host, behind the stack's ALB group", () => {
    const ingress = objectOf(objects, 'Ingress') as unknown as {
      metadata: { annotations: Record<string, string> };
      spec: { rules: { host: string }[] };
    };
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(
      tokenText(stack, stack.certificate.certificateArn),
    );
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/security-groups']).toBe(
      tokenText(stack, stack.loadBalancerSecurityGroup.securityGroupId),
    );
    expect(ingress.spec.rules.map((rule) => rule.host)).toEqual([config.dns.serviceHostName]);
  });

  it("routes the pods' logs to the stack's log group", () => {
    const logging = objectOf(logRouting, 'ConfigMap', 'aws-logging') as unknown as {
      data: Record<string, string>;
    };
    expect(logging.data['output.conf']).toContain(
      `log_group_name ${tokenText(stack, stack.logGroup.logGroupName)}\n`,
    );
    expect(logging.data['output.conf']).toContain(`region ${config.region}\n`);
  });

  it("publishes to the stack's event bus in the stack's region", () => {
    const settings = objectOf(objects, 'ConfigMap', 'order-service-env') as unknown as {
      data: Record<string, string>;
    };
    expect(settings.data).toMatchObject({
      EVENT_BUS: 'eventbridge',
      EVENT_BUS_NAME: tokenText(stack, stack.eventBus.eventBusName),
      AWS_REGION: config.region,
    });
  });

  it("trusts the stack's Cognito user pool: issuer, JWKS and app clients in the ConfigMap", () => {
    const settings = objectOf(objects, 'ConfigMap', 'order-service-env') as unknown as {
      data: Record<string, string>;
    };
    const identity = stack.apiIdentity.settings;
    expect(settings.data).toMatchObject({
      AUTH_ISSUER: tokenText(stack, identity.issuer),
      AUTH_JWKS_URL: tokenText(stack, identity.jwksUrl),
      AUTH_ALLOWED_CLIENT_IDS: tokenText(stack, identity.allowedClientIds.join(',')),
      AUTH_CLIENT_CREDENTIALS_URL: tokenText(stack, stack.apiIdentity.tokenEndpoint ?? ''),
      METRICS_PORT: '9464',
    });
    expect(settings.data['AUTH_ISSUER']).toMatch(/^https:\/\/cognito-idp\.eu-central-1\./);
    expect(identity.allowedClientIds).toHaveLength(2);
  });

  it('scales between the replica bounds of the environment config', () => {
    const autoscaler = objectOf(objects, 'HorizontalPodAutoscaler') as unknown as {
      spec: { minReplicas: number; maxReplicas: number };
    };
    expect(autoscaler.spec).toMatchObject({
      minReplicas: config.workload.replicas.min,
      maxReplicas: config.workload.replicas.max,
    });
  });

  it('is applied after the namespace, the service account, the Fargate profile and the ALB controller', () => {
    const dependsOn = chartResource?.DependsOn ?? [];
    const mustPrecede = [
      stack.serviceNamespace,
      stack.serviceAccount,
      stack.cluster.node.findChild('fargate-profile-ServiceProfile'),
    ].flatMap((construct) =>
      logicalIdsOf(stack, construct, kubernetesResourceType).concat(
        logicalIdsOf(stack, construct, 'AWS::EKS::FargateProfile'),
      ),
    );
    expect(mustPrecede.length).toBe(3);
    expect(dependsOn).toEqual(expect.arrayContaining(mustPrecede));
    expect(dependsOn).toContainEqual(expect.stringMatching(/AlbController[0-9A-F]{8}$/));
  });

  it('emits no custom resources for operators this cluster does not install', () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ['ServiceMonitor', 'PrometheusRule', 'ClusterPolicy']) {
      expect(kinds.has(kind), kind).toBe(false);
    }
  });

  it('without -c imageTag, synthesizes with the placeholder tag but refuses to deploy', () => {
    expect(config.imageTag).toBe(placeholderImageTag);
    expect(guardRuleOf(template)?.Assertions[0]?.AssertDescription).toMatch(/-c imageTag=/);
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('placeholder tag'));
  });
});

describe('prod sizing', () => {
  it('keeps at least five pods in prod and two in dev', () => {
    expect(synthesized('prod').config.workload.replicas.min).toBe(5);
    expect(synthesized('dev').config.workload.replicas.min).toBe(2);
  });
});

describe('deploying a built image (-c imageTag=<git sha>)', () => {
  const { stack, template } = synthesized('dev', { imageTag: builtImageTag });
  const objects = manifestObjects(template, stack, stack.workload!.manifest);

  it('rolls the Deployment to that tag', () => {
    expect(podSpecOf(objects).containers[0]?.image).toMatch(new RegExp(`:${builtImageTag}$`));
  });

  it('reports the tag as a stack output, for infrastructure-only deploys that must keep it', () => {
    template.hasOutput('DeployedImageTag', { Value: builtImageTag });
  });

  it('carries no deploy guard and no warning', () => {
    expect(guardRuleOf(template)).toBeUndefined();
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('deploying a pushed image by digest (-c imageTag=<git sha> -c imageDigest=sha256:...)', () => {
  const imageDigest = `sha256:${'c0'.repeat(32)}`;
  const { stack, template } = synthesized('dev', { imageTag: builtImageTag, imageDigest });
  const objects = manifestObjects(template, stack, stack.workload!.manifest);

  it('runs repository@digest, the exact bytes that were pushed, not whatever the tag names', () => {
    expect(podSpecOf(objects).containers[0]?.image).toBe(
      `${tokenText(stack, stack.repository.repositoryUri)}@${imageDigest}`,
    );
  });

  it('records the digest and the tag as stack outputs, for the next rollback', () => {
    template.hasOutput('DeployedImageDigest', { Value: imageDigest });
    template.hasOutput('DeployedImageTag', { Value: builtImageTag });
  });
});

describe('a platform-only template (-c workload=false)', () => {
  const { stack, template } = synthesized('dev', { workload: 'false' });

  it('contains no chart, but still the namespace and the IRSA service account', () => {
    expect(stack.workload).toBeUndefined();
    const kubernetesResources = Object.keys(resourcesOf(template, kubernetesResourceType));
    expect(kubernetesResources.some((id) => id.includes('OrderServiceChart'))).toBe(false);
    expect(kubernetesResources).toEqual(
      expect.arrayContaining([
        ...logicalIdsOf(stack, stack.serviceNamespace, kubernetesResourceType),
        ...logicalIdsOf(stack, stack.serviceAccount, kubernetesResourceType),
      ]),
    );
  });

  // The aws-logging ConfigMap serves every Fargate pod of the cluster ("Start AWS Fargate logging for
  // your cluster"): leaving the workload out must not delete it.
  it("keeps the cluster's Fargate logging config, applied with kubectl apply (safe if it exists)", () => {
    const [routerId] = logicalIdsOf(stack, stack.podLogRouterConfig, kubernetesResourceType);
    const router = resourcesOf(template, kubernetesResourceType)[routerId ?? ''];
    expect(router?.Properties?.['Overwrite']).toBe(true);
    expect(
      manifestObjects(template, stack, stack.podLogRouterConfig).map((o) => o.metadata.name),
    ).toEqual(['aws-observability', 'aws-logging']);
  });

  it('warns that deploying it removes a deployed workload', () => {
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('DELETES'));
  });

  it('needs no image tag and has no deploy guard', () => {
    expect(guardRuleOf(template)).toBeUndefined();
  });
});
