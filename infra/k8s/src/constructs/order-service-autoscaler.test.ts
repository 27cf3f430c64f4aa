import { describe, expect, it } from 'vitest';
import { devChartProps } from '../config/dev.ts';
import { prodChartProps } from '../config/prod.ts';
import { synthChart } from '../testing/synth-chart.ts';

describe('order service autoscaling and disruption budget', () => {
  it.each([
    ['dev', devChartProps, 2],
    ['prod', prodChartProps, 5],
  ])('%s scales between %s.min and 15 pods', (_env, props, min) => {
    const chart = synthChart(props);
    const hpa = chart.one('HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: min, maxReplicas: 15 });
    expect(hpa.spec?.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: chart.one('Deployment').metadata?.name,
    });
    // The HPA owns the replica count; a fixed count in the Deployment would fight it on every apply.
    expect(chart.one('Deployment').spec?.replicas).toBeUndefined();
  });

  it('scales on CPU and memory and waits five minutes before scaling down', () => {
    const hpa = synthChart().one('HorizontalPodAutoscaler');
    expect(hpa.spec?.metrics?.map((metric) => metric.resource?.name)).toEqual(['cpu', 'memory']);
    expect(hpa.spec?.behavior?.scaleDown?.stabilizationWindowSeconds).toBe(300);
  });

  it('lets Fargate evict at most one pod at a time', () => {
    const budget = synthChart().one('PodDisruptionBudget');
    expect(budget.spec?.maxUnavailable).toBe(1);
    expect(budget.spec?.minAvailable).toBeUndefined();
  });
});
