import { describe, expect, it } from 'vitest';
import { devChartProps } from './config/dev.ts';
import { prodChartProps } from './config/prod.ts';
import { OrderServiceChart } from './order-service-chart.ts';
import type { OrderServiceChartProps } from './order-service-chart-props.ts';
import { findPropsProblems } from './props-validation.ts';
import { Testing } from 'cdk8s';

const withImage = (image: Partial<OrderServiceChartProps['image']>): OrderServiceChartProps => ({
  ...devChartProps,
  image: { ...devChartProps.image, ...image },
});

describe('chart props validation', () => {
  it('accepts the example configs', () => {
    expect(findPropsProblems(devChartProps)).toEqual([]);
    expect(findPropsProblems(prodChartProps)).toEqual([]);
  });

  it.each([
    ['latest', /"latest" is mutable/],
    ['', /empty/],
    ['  ', /empty/],
    ['has space', /not a valid tag/],
  ])('rejects the image tag %j', (tag, message) => {
    expect(findPropsProblems(withImage({ tag }))).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['sha256:abc', /not a sha256 digest/],
    [`sha512:${'a'.repeat(128)}`, /not a sha256 digest/],
    [`sha256:${'A'.repeat(64)}`, /not a sha256 digest/],
  ])('rejects the image digest %j', (digest, message) => {
    expect(findPropsProblems(withImage({ digest }))).toEqual([expect.stringMatching(message)]);
  });

  it('accepts a sha256 digest next to the tag', () => {
    expect(findPropsProblems(withImage({ digest: `sha256:${'0f'.repeat(32)}` }))).toEqual([]);
  });

  it('rejects a repository URI that smuggles in a tag', () => {
    const problems = findPropsProblems(
      withImage({ repositoryUri: 'repo/mallhive-order-service:latest' }),
    );
    expect(problems).toEqual([expect.stringMatching(/must not carry a tag/)]);
  });

  it('accepts an unresolved CDK token as repository URI', () => {
    expect(findPropsProblems(withImage({ repositoryUri: '${Token[TOKEN.42]}' }))).toEqual([]);
  });

  it('refuses a single replica (the disruption budget would block every eviction)', () => {
    const problems = findPropsProblems({ ...devChartProps, replicas: { min: 1, max: 3 } });
    expect(problems).toEqual([expect.stringMatching(/replicas.min/)]);
  });

  it('needs one to five pod security groups', () => {
    expect(findPropsProblems({ ...devChartProps, podSecurityGroupIds: [] })).toHaveLength(1);
    const six = ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'];
    expect(findPropsProblems({ ...devChartProps, podSecurityGroupIds: six })).toHaveLength(1);
  });

  it('requires literal CIDRs, since NetworkPolicy peers cannot hold tokens', () => {
    const network = {
      ...devChartProps.network,
      databaseCidrs: ['${Token[TOKEN.9]}', '10.0.0.0/33'],
    };
    expect(findPropsProblems({ ...devChartProps, network })).toHaveLength(2);
  });

  it('requires broker CIDRs when the event bus is Kafka', () => {
    const network = { ...prodChartProps.network, kafkaCidrs: [] };
    expect(findPropsProblems({ ...prodChartProps, network })).toEqual([
      expect.stringMatching(/kafkaCidrs/),
    ]);
  });

  it('makes the chart throw with every problem listed', () => {
    const props = { ...withImage({ tag: 'latest' }), replicas: { min: 1, max: 0 } };
    expect(() => new OrderServiceChart(Testing.app(), 'bad', props)).toThrow(
      /latest[\s\S]*replicas.min[\s\S]*replicas.max/,
    );
  });
});
