import { ConfigMap, Namespace } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { LogRouterProps } from '../order-service-chart-props.ts';
import { namespaceName } from './labels.ts';

/** Fargate rejects an `aws-logging` ConfigMap whose data exceeds this many characters. */
export const fargateLogRouterCharacterLimit = 5300;

/**
 * Configuration of Fargate's built-in Fluent Bit router. Fargate already tails container output and
 * parses the CRI framing; these sections add Kubernetes metadata, lift the pino JSON line into the
 * record, and send the order service's logs to its CloudWatch log group (created by CDK with a
 * retention, so the router must not create it).
 */
export function fargateLogRouterData(props: LogRouterProps): Record<string, string> {
  return {
    flb_log_cw: 'false',
    'filters.conf': [
      '[FILTER]',
      '    Name kubernetes',
      '    Match kube.*',
      '    Merge_Log On',
      '    Keep_Log Off',
      '    Buffer_Size 0',
      '    Kube_Meta_Cache_TTL 300s',
      '',
    ].join('\n'),
    'output.conf': [
      '[OUTPUT]',
      '    Name cloudwatch_logs',
      // Only this service's containers: the ConfigMap is cluster-wide.
      `    Match kube.var.log.containers.*_${namespaceName}_*`,
      `    region ${props.region}`,
      `    log_group_name ${props.logGroupName}`,
      `    log_stream_prefix ${namespaceName}-`,
      '    auto_create_group false',
      '',
    ].join('\n'),
  };
}

export function logRouterDataSize(data: Record<string, string>): number {
  return Object.entries(data).reduce((size, [key, value]) => size + key.length + value.length, 0);
}

/** The `aws-observability` Namespace and `aws-logging` ConfigMap that switch on Fargate logging. */
export class FargateLogRouter extends Construct {
  constructor(scope: Construct, id: string, props: LogRouterProps) {
    super(scope, id);
    const data = fargateLogRouterData(props);
    const size = logRouterDataSize(data);
    if (size > fargateLogRouterCharacterLimit) {
      throw new Error(`aws-logging is ${size} characters; Fargate accepts at most 5300`);
    }
    new Namespace(this, 'Namespace', {
      metadata: { name: 'aws-observability', labels: { 'aws-observability': 'enabled' } },
    });
    new ConfigMap(this, 'Config', {
      metadata: { name: 'aws-logging', namespace: 'aws-observability' },
      data,
    });
  }
}
