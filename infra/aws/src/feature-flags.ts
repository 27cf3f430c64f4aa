import { readFileSync } from 'node:fs';

/**
 * CDK feature flags: the `@aws-cdk/*` context of cdk.json, which holds the recommended flags of the
 * installed aws-cdk-lib (feature-flags.test.ts keeps them in step). Applied in code too, so tests and
 * the CLI build the same templates.
 */
const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export const featureFlags: Readonly<Record<string, unknown>> = Object.fromEntries(
  Object.entries(cdkJson.context).filter(([key]) => key.startsWith('@aws-cdk')),
);
