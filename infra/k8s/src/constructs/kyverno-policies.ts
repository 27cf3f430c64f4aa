import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { orderService } from '../service-contract.ts';
import { commonLabels, namespaceName } from './labels.ts';

interface ValidationRule {
  readonly name: string;
  readonly message: string;
  readonly pattern: Record<string, unknown>;
}

/** Pattern for every container of a pod, including init containers when there are any. */
function eachContainer(container: Record<string, unknown>): Record<string, unknown> {
  return { spec: { containers: [container], '=(initContainers)': [container] } };
}

const orderServiceRepositoryPattern = `*.dkr.ecr.*.amazonaws.com/${orderService.ecrRepositoryName}`;
/** By tag or by digest; `|` is the logical or of Kyverno patterns (Kyverno docs, "Validate", Operators). */
export const orderServiceImagePattern = `${orderServiceRepositoryPattern}:* | ${orderServiceRepositoryPattern}@sha256:*`;

/**
 * Admission policies for the order service namespace. Kyverno generates the matching rules for
 * Deployments and ReplicaSets from these Pod rules, so a bad Deployment is rejected at apply time.
 */
export const orderServicePolicies: readonly {
  readonly name: string;
  readonly title: string;
  readonly rules: readonly ValidationRule[];
}[] = [
  {
    name: 'order-service-trusted-images',
    title: 'Images only from the order service ECR repository, never latest',
    rules: [
      {
        name: 'image-from-order-service-repository',
        message: `Images must come from the ${orderService.ecrRepositoryName} ECR repository.`,
        pattern: eachContainer({ image: orderServiceImagePattern }),
      },
      {
        name: 'image-tag-not-latest',
        message: 'The image tag must be immutable (the git SHA), not latest.',
        pattern: eachContainer({ image: '!*:latest' }),
      },
    ],
  },
  {
    name: 'order-service-require-resources',
    title: 'CPU and memory requests and limits on every container',
    rules: [
      {
        name: 'requests-and-limits-set',
        message:
          'Every container needs CPU and memory requests and limits (Fargate sizes pods from them).',
        pattern: eachContainer({
          resources: {
            requests: { cpu: '?*', memory: '?*' },
            limits: { cpu: '?*', memory: '?*' },
          },
        }),
      },
    ],
  },
  {
    name: 'order-service-non-root-read-only',
    title: 'Non-root containers with a read-only root filesystem',
    rules: [
      {
        name: 'run-as-non-root',
        message: 'Pods must set securityContext.runAsNonRoot: true.',
        pattern: { spec: { securityContext: { runAsNonRoot: true } } },
      },
      {
        name: 'read-only-root-filesystem',
        message: 'Containers must set securityContext.readOnlyRootFilesystem: true.',
        pattern: eachContainer({ securityContext: { readOnlyRootFilesystem: true } }),
      },
    ],
  },
];

/** Kyverno ClusterPolicies scoped to the order service namespace, enforced at admission. */
export class KyvernoPolicies extends Construct {
  constructor(scope: Construct, id: string, props: { readonly envName: string }) {
    super(scope, id);
    for (const policy of orderServicePolicies) {
      new ApiObject(this, policy.name, {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: {
          name: policy.name,
          labels: commonLabels(props.envName),
          annotations: { 'policies.kyverno.io/title': policy.title },
        },
        spec: {
          background: true,
          rules: policy.rules.map((rule) => ({
            name: rule.name,
            match: { any: [{ resources: { kinds: ['Pod'], namespaces: [namespaceName] } }] },
            validate: { failureAction: 'Enforce', message: rule.message, pattern: rule.pattern },
          })),
        },
      });
    }
  }
}
