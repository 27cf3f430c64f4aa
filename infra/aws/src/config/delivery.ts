import { z } from 'zod';
import { dev } from './dev.ts';
import type { EnvironmentConfig } from './environment-config.ts';
import { InvalidConfigError } from './load-config.ts';
import { prod } from './prod.ts';

/**
 * How GitHub Actions reaches one environment: who may assume its roles and how images get there.
 * Read by the DeliveryBootstrapStack (deployed once per account by an administrator) and by the
 * rollout-gate access in the platform stack.
 */
export interface DeliveryConfig {
  /** `owner/name` of the GitHub repository whose deploy workflow may assume the roles. */
  readonly githubRepository: string;
  /** GitHub environment whose jobs may assume the deploy role (its protection rules apply). */
  readonly deployEnvironment: string;
  /**
   * GitHub environment, without reviewers, whose jobs may assume the read-only preview role: the
   * diff an approver reads before approving `deployEnvironment`. Only where deploys need approval.
   */
  readonly previewEnvironment?: string;
  /** The image is built, pushed and signed in this account; others receive it by replication. */
  readonly buildsImages: boolean;
  /** Registries this account's registry replicates the image repository into. */
  readonly replicateImagesTo: readonly { readonly account: string; readonly region: string }[];
  /** Accounts whose registries may replicate images into this one. */
  readonly acceptImagesFrom: readonly string[];
  /** Qualifier of the account's CDK bootstrap (`cdk bootstrap --qualifier`), whose roles deploy. */
  readonly cdkQualifier: string;
}

/** The repository that holds this code; set it to the real `owner/name` before bootstrapping. */
const githubRepository = 'mallhive/order-platform';

export const deliveryConfigs: Readonly<Record<EnvironmentConfig['envName'], DeliveryConfig>> = {
  dev: {
    githubRepository,
    deployEnvironment: 'dev',
    buildsImages: true,
    // Promotion by digest: what is pushed to dev's registry appears, byte for byte, in prod's.
    replicateImagesTo: [{ account: prod.account, region: prod.region }],
    acceptImagesFrom: [],
    cdkQualifier: 'hnb659fds',
  },
  prod: {
    githubRepository,
    deployEnvironment: 'prod',
    previewEnvironment: 'prod-preview',
    buildsImages: false,
    replicateImagesTo: [],
    acceptImagesFrom: [dev.account],
    cdkQualifier: 'hnb659fds',
  },
};

const accountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const githubEnvironmentName = z
  .string()
  .regex(/^[\w.-]{1,255}$/, 'must be a GitHub environment name (letters, digits, . _ -)');

const deliveryConfigSchema = z
  .object({
    githubRepository: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be a GitHub repository as owner/name'),
    deployEnvironment: githubEnvironmentName,
    previewEnvironment: githubEnvironmentName.optional(),
    buildsImages: z.boolean(),
    replicateImagesTo: z.array(
      z.object({
        account: accountId,
        region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region'),
      }),
    ),
    acceptImagesFrom: z.array(accountId),
    cdkQualifier: z.string().regex(/^[a-z0-9]{1,10}$/, 'must be a CDK bootstrap qualifier'),
  })
  .refine((config) => config.previewEnvironment !== config.deployEnvironment, {
    error: 'must differ from deployEnvironment: the preview must not wait for the approval',
    path: ['previewEnvironment'],
  })
  .refine((config) => config.buildsImages || config.replicateImagesTo.length === 0, {
    error: 'only the account that builds images replicates them',
    path: ['replicateImagesTo'],
  });

/** The delivery settings of an environment, checked like the rest of the configuration. */
export function deliveryConfigFor(envName: EnvironmentConfig['envName']): DeliveryConfig {
  return validateDeliveryConfig(envName, deliveryConfigs[envName]);
}

/** Returns the config unchanged, or throws InvalidConfigError naming each bad field. */
export function validateDeliveryConfig(envName: string, config: DeliveryConfig): DeliveryConfig {
  const result = deliveryConfigSchema.safeParse(config);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `  - delivery.${issue.path.map(String).join('.')}: ${issue.message}`,
    );
    throw new InvalidConfigError(
      `Invalid delivery configuration for '${envName}':\n${problems.join('\n')}`,
    );
  }
  return config;
}

/** The stack the pipeline deploys (infrastructure and chart); the bootstrap stack is not one of them. */
export function platformStackName(envName: string): string {
  return `mallhive-order-platform-${envName}`;
}

/** Name of the role the deploy workflow assumes; fixed so other stacks can refer to it by ARN. */
export function deployRoleName(envName: string): string {
  return `mallhive-github-deploy-${envName}`;
}

export function deployRoleArn(config: Pick<EnvironmentConfig, 'account' | 'envName'>): string {
  return `arn:aws:iam::${config.account}:role/${deployRoleName(config.envName)}`;
}
