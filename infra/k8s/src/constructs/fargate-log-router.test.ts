import { describe, expect, it } from 'vitest';
import { devLogRouterProps } from '../config/dev.ts';
import { synthChart, synthLogRouter } from '../testing/synth-chart.ts';
import { fargateLogRouterCharacterLimit, logRouterDataSize } from './fargate-log-router.ts';

describe('Fargate log router', () => {
  const chart = synthLogRouter(devLogRouterProps);
  const config = chart.one('ConfigMap', 'aws-logging');
  const data = config.data ?? {};

  it('is switched on by the labelled aws-observability Namespace', () => {
    expect(chart.one('Namespace', 'aws-observability').metadata?.labels).toEqual({
      'aws-observability': 'enabled',
    });
    expect(config.metadata?.namespace).toBe('aws-observability');
  });

  it('stays under the 5,300 characters Fargate accepts', () => {
    expect(logRouterDataSize(data)).toBeLessThanOrEqual(fargateLogRouterCharacterLimit);
    expect(fargateLogRouterCharacterLimit).toBe(5300);
  });

  it('sends the order service container logs to its CloudWatch log group, without creating it', () => {
    const output = data['output.conf'] ?? '';
    expect(output).toMatch(/Name cloudwatch_logs/);
    expect(output).toMatch(/Match kube\.var\.log\.containers\.\*_order-service_\*/);
    expect(output).toContain(`log_group_name ${devLogRouterProps.logGroupName}`);
    expect(output).toContain(`region ${devLogRouterProps.region}`);
    expect(output).toMatch(/auto_create_group false/);
  });

  it('lifts the JSON log line into the record (pino fields become searchable)', () => {
    expect(data['filters.conf']).toMatch(/Name kubernetes[\s\S]*Merge_Log On/);
  });

  it('only uses keys Fargate knows', () => {
    const known = ['output.conf', 'filters.conf', 'parsers.conf', 'flb_log_cw'];
    expect(Object.keys(data).every((key) => known.includes(key))).toBe(true);
  });

  it('takes the log group and region as CDK tokens', () => {
    const output = synthLogRouter({
      logGroupName: '${Token[TOKEN.7]}',
      region: '${Token[TOKEN.6]}',
    }).one('ConfigMap', 'aws-logging').data?.['output.conf'];
    expect(output).toContain('log_group_name ${Token[TOKEN.7]}');
  });

  it("is the platform's, not part of the order service's charts", () => {
    expect(
      synthChart()
        .all('ConfigMap')
        .map((c) => c.metadata.name),
    ).not.toContain('aws-logging');
    expect(
      synthChart()
        .all('Namespace')
        .map((n) => n.metadata.name),
    ).not.toContain('aws-observability');
  });
});
