import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
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
  const [chartId] = logicalIdsOf(stack, workload.manifest, kubernetesResourceType);
  const chartResource = resourcesOf(template, kubernetesResourceType)[chartId ?? ''];

  it('applies the whole chart as one Kubernetes resource, with CDK tokens resolved at deploy time', () => {
    expect(chartResource?.Properties?.['Manifest']).toHaveProperty('Fn::Join');
    expect(objects.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'Service', 'Ingress', 'HorizontalPodAutoscaler']),
    );
  });

  it("runs the image from the stack's ECR repository with the configured tag", () => {
    const [container] = podSpecOf(objects).containers;
    expect(container?.image).toBe(
      `${tokenText(stack, stack.repository.repositoryUri)}:${config.imageTag}`,
    );
  });

  it('runs as the IRSA service account CDK creates and never defines a service account itself', () => {
    expect(podSpecOf(objects).serviceAccountName).toBe(stack.serviceAccount.serviceAccountName);
    expect(objects.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
  });

  it('leaves the order-service Namespace to CDK (only the log router namespace is in the chart)', () => {
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces).toEqual(['aws-observability']);
    expect(objectOf(objects, 'Deployment').metadata.namespace).toBe(config.serviceNamespace);
  });

  it('attaches the pod security group and the cluster security group to the pods', () => {
    const policy = objectOf(objects, 'SecurityGroupPolicy') as unknown as {
      spec: { securityGroups: { groupIds: string[] } };
    };
    expect(policy.spec.securityGroups.groupIds).toEqual([
      tokenText(stack, stack.podSecurityGroup.securityGroupId),
      tokenText(stack, stack.cluster.clusterSecurityGroupId),
    ]);
  });

  it("terminates TLS on the ALB with the stack's certificate for the configured host", () => {
    const ingress = objectOf(objects, 'Ingress') as unknown as {
      metadata: { annotations: Record<string, string> };
      spec: { rules: { host: string }[] };
    };
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(
      tokenText(stack, stack.certificate.certificateArn),
    );
    expect(ingress.spec.rules.map((rule) => rule.host)).toEqual([config.dns.serviceHostName]);
  });

  it("routes the pods' logs to the stack's log group", () => {
    const logging = objectOf(objects, 'ConfigMap', 'aws-logging') as unknown as {
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

  it('warns that deploying it removes a deployed workload', () => {
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('DELETES'));
  });

  it('needs no image tag and has no deploy guard', () => {
    expect(guardRuleOf(template)).toBeUndefined();
  });
});
