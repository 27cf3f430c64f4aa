import { Template } from 'aws-cdk-lib/assertions';
import { App, type PolicyValidationPluginReport, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../app.ts';
import type { EnvironmentConfig } from '../config/environment-config.ts';
import { environments, validateConfig, type EnvironmentName } from '../config/load-config.ts';
import { featureFlags } from '../feature-flags.ts';
import type { DeliveryBootstrapStack } from '../stacks/delivery-bootstrap-stack.ts';
import { OrderPlatformStack } from '../stacks/order-platform-stack.ts';

export interface Synthesized {
  readonly stack: OrderPlatformStack;
  readonly config: EnvironmentConfig;
  readonly template: Template;
  /** The template as JSON text, for "does not contain" checks. */
  readonly json: string;
  /** The delivery bootstrap stack of the same app (GitHub OIDC deploy identity). */
  readonly deliveryStack: DeliveryBootstrapStack;
}

/** The platform stack's synthesis alone (the MSK variant builds no delivery stack). */
export type PlatformSynthesis = Omit<Synthesized, 'deliveryStack'>;

/** Further `-c` values, e.g. `{ imageTag: 'abc' }` or `{ workload: 'false' }` (strings, as from the CLI). */
export type ExtraContext = Readonly<Record<string, string>>;

// Synthesizing the EKS stack takes seconds: do it once per environment (and extra context) per test
// worker (vitest.config.ts runs files without isolation so this cache is shared between files).
const cache = new Map<string, Synthesized>();
const mskCache = new Map<string, PlatformSynthesis>();

/**
 * The stack and template for an environment, exactly as `cdk synth -c env=<name>` builds it (plus
 * `extraContext`). Without extra context the image tag is the placeholder, as on a fresh clone.
 */
export function synthesized(env: EnvironmentName, extraContext: ExtraContext = {}): Synthesized {
  const key = JSON.stringify([env, extraContext]);
  const cached = cache.get(key);
  if (cached) return cached;
  const { stack, deliveryStack } = buildApp({ context: { env, ...extraContext } });
  const template = Template.fromStack(stack);
  const json = JSON.stringify(template.toJSON());
  const result = { stack, config: stack.config, template, json, deliveryStack };
  cache.set(key, result);
  return result;
}

/**
 * The environment with MSK Serverless switched on (and the SASL secret), which neither shipped
 * config uses yet: the path a team takes when it moves from EventBridge to Kafka.
 */
export function synthesizedWithMsk(env: EnvironmentName = 'prod'): PlatformSynthesis {
  const key = JSON.stringify([env, 'msk']);
  const cached = mskCache.get(key);
  if (cached) return cached;
  const base = environments[env];
  const config = validateConfig({
    ...base,
    events: { ...base.events, mskServerless: true, kafkaSaslSecret: true },
  });
  const stack = new OrderPlatformStack(new App({ postCliContext: { ...featureFlags } }), 'msk', {
    config,
  });
  const template = Template.fromStack(stack);
  const result = { stack, config, template, json: JSON.stringify(template.toJSON()) };
  mskCache.set(key, result);
  return result;
}

/** Runs the AwsSolutions pack directly over a stack and returns its report. */
export function awsSolutionsReport(stack: Stack): PolicyValidationPluginReport {
  return new AwsSolutionsChecks().validateScope(stack);
}

export const environmentNames: readonly EnvironmentName[] = ['dev', 'prod'];

/** Resources of one type, keyed by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string[];
}

/** The statements of every IAM policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties?.['Roles'] as unknown[] | undefined)?.some(
        (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap(
      (policy) => (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement,
    );
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}
