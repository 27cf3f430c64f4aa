import { describe, expect, it } from 'vitest';
import { devChartProps } from '../config/dev.ts';
import { prodChartProps } from '../config/prod.ts';
import { imageReference } from '../image-reference.ts';
import { synthChart } from '../testing/synth-chart.ts';
import { orderServiceImagePattern } from './kyverno-policies.ts';

/** Kyverno's wildcard matching: `*` any run of characters, `?` one character, `|` logical or. */
function matchesWildcard(pattern: string, value: string): boolean {
  return pattern.split('|').some((alternative) => {
    const regex = alternative
      .trim()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${regex}$`).test(value);
  });
}

describe('Kyverno policies for the order service namespace', () => {
  const chart = synthChart();
  const policies = chart.all('ClusterPolicy');

  it('are enforced at admission and scoped to the order-service namespace', () => {
    expect(policies.map((p) => p.metadata.name)).toEqual([
      'order-service-trusted-images',
      'order-service-require-resources',
      'order-service-non-root-read-only',
    ]);
    for (const policy of policies) {
      const rules = (policy.spec as { rules: { match: unknown; validate: object }[] }).rules;
      for (const rule of rules) {
        expect(rule.validate).toMatchObject({ failureAction: 'Enforce' });
        expect(rule.match).toEqual({
          any: [{ resources: { kinds: ['Pod'], namespaces: ['order-service'] } }],
        });
      }
    }
  });

  it('admit the image the chart deploys, from the order service ECR repository', () => {
    for (const props of [devChartProps, prodChartProps]) {
      const digest = `sha256:${'ab'.repeat(32)}`;
      for (const image of [
        imageReference(props.image),
        imageReference({ ...props.image, digest }),
      ]) {
        expect(matchesWildcard(orderServiceImagePattern, image), image).toBe(true);
      }
    }
  });

  it('refuse images from elsewhere', () => {
    for (const image of [
      'docker.io/library/node:24',
      '111111111111.dkr.ecr.eu-central-1.amazonaws.com/other-service:abc',
      `111111111111.dkr.ecr.eu-central-1.amazonaws.com/other-service@sha256:${'ab'.repeat(32)}`,
    ]) {
      expect(matchesWildcard(orderServiceImagePattern, image), image).toBe(false);
    }
  });

  it('refuse the latest tag and demand requests, limits, non-root and a read-only root', () => {
    const text = JSON.stringify(policies);
    expect(text).toContain('"image":"!*:latest"');
    expect(text).toContain('"requests":{"cpu":"?*","memory":"?*"}');
    expect(text).toContain('"runAsNonRoot":true');
    expect(text).toContain('"readOnlyRootFilesystem":true');
  });
});
