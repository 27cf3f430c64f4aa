import { environmentConfigSchema } from './config-schema.ts';
import { dev } from './dev.ts';
import type { EnvironmentConfig } from './environment-config.ts';
import { prod } from './prod.ts';

export const environments = { dev, prod } as const satisfies Record<string, EnvironmentConfig>;
export type EnvironmentName = keyof typeof environments;

/** Thrown before any construct is built; the message names each offending field. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

/** Checks a config against the schema; returns it unchanged or throws InvalidConfigError. */
export function validateConfig(config: EnvironmentConfig): EnvironmentConfig {
  const result = environmentConfigSchema.safeParse(config);
  if (result.success) return config;
  const problems = result.error.issues.map(
    (issue) => `  - ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
  );
  throw new InvalidConfigError(
    `Invalid configuration for environment '${config.envName}':\n${problems.join('\n')}`,
  );
}

/**
 * Checks what no single environment can see: a public zone is held by one account, so two
 * environments in different accounts cannot both validate certificates in the same one (the other
 * stack would wait for a validation that never comes, then fail). Throws InvalidConfigError.
 */
export function validateEnvironmentSet(configs: readonly EnvironmentConfig[]): void {
  const problems: string[] = [];
  configs.forEach((a, index) => {
    for (const b of configs.slice(index + 1)) {
      if (a.dns.publicZoneName === b.dns.publicZoneName && a.account !== b.account) {
        problems.push(
          `  - dns.publicZoneName: ${a.envName} (account ${a.account}) and ${b.envName} (account ${b.account}) both claim the public zone ${a.dns.publicZoneName}; only one account can hold it. Give each environment a zone of its own (e.g. ${b.envName}.${b.dns.publicZoneName}, delegated).`,
        );
      }
    }
  });
  if (problems.length > 0) {
    throw new InvalidConfigError(`Invalid set of environments:\n${problems.join('\n')}`);
  }
}

export interface ConfigSelection {
  /** Value of the `env` context (`-c env=dev|prod`); defaults to dev. */
  readonly env?: unknown;
  /** Value of the `imageTag` context; overrides the placeholder tag. */
  readonly imageTag?: unknown;
  /** Value of the `imageDigest` context: the pushed image's digest (needs `imageTag`). */
  readonly imageDigest?: unknown;
  /** Value of the `workload` context: `false` for a platform-only template. Default true. */
  readonly workload?: unknown;
}

/**
 * The Nx targets always pass `-c imageTag={args.imageTag}`, which is empty when the option is not
 * given: empty means "not given". Safe either way: no tag means the undeployable placeholder, no
 * workload flag means the workload stays.
 */
function given(value: unknown): unknown {
  return value === '' ? undefined : value;
}

/** `-c workload=false` arrives as the string 'false'; cdk.json or tests may pass a boolean. */
function parseWorkloadFlag(value: unknown): boolean {
  if (value === undefined || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidConfigError(
    `Context 'workload' must be true or false, got ${JSON.stringify(value)}`,
  );
}

/** Picks the environment named by the CDK context, applies overrides and validates the result. */
export function loadConfig(selection: ConfigSelection): EnvironmentConfig {
  validateEnvironmentSet(Object.values(environments));
  const envName = selection.env ?? 'dev';
  if (typeof envName !== 'string' || !Object.hasOwn(environments, envName)) {
    throw new InvalidConfigError(
      `Unknown environment ${JSON.stringify(envName)} in context 'env': use one of ${Object.keys(environments).join(', ')}`,
    );
  }
  const base = environments[envName as EnvironmentName];
  const imageTag = given(selection.imageTag);
  if (imageTag !== undefined && typeof imageTag !== 'string') {
    throw new InvalidConfigError(
      `Context 'imageTag' must be a string, got ${JSON.stringify(imageTag)}`,
    );
  }
  const imageDigest = given(selection.imageDigest);
  if (imageDigest !== undefined && typeof imageDigest !== 'string') {
    throw new InvalidConfigError(
      `Context 'imageDigest' must be a string, got ${JSON.stringify(imageDigest)}`,
    );
  }
  if (imageDigest !== undefined && imageTag === undefined) {
    throw new InvalidConfigError(
      `Context 'imageDigest' needs 'imageTag' too: the tag names the commit the digest was built from`,
    );
  }
  const deployWorkload = parseWorkloadFlag(given(selection.workload));
  if (!deployWorkload && imageTag !== undefined) {
    throw new InvalidConfigError(
      `Context 'imageTag' has no effect with workload=false (a platform-only template): pass one or the other`,
    );
  }
  return validateConfig({
    ...base,
    deployWorkload,
    ...(imageTag === undefined ? {} : { imageTag }),
    ...(imageDigest === undefined ? {} : { imageDigest }),
  });
}
