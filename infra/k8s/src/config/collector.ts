import type { AdotCollectorChartProps } from '../observability/adot-collector-chart.ts';
import { adotCollector, adotCollectorImage } from '../observability/collector-contract.ts';
import { platformCollectorConfig } from '../observability/order-platform-collector-config.ts';
import { orderService } from '../service-contract.ts';

const region = 'eu-central-1';

/**
 * Example collector props for `nx run infra-k8s:synth`. Inside `cdk deploy` the CDK app passes the
 * real AMP workspace endpoint and log group; these placeholders only make the YAML readable.
 */
export function exampleCollectorChartProps(envName: 'dev' | 'prod'): AdotCollectorChartProps {
  return {
    envName,
    image: adotCollectorImage,
    manageNamespace: true,
    discoveryNamespaces: [orderService.name],
    resources: { cpuMillis: 500, memoryMebibytes: 1024 },
    config: platformCollectorConfig({
      region,
      remoteWriteUrl: `https://aps-workspaces.${region}.amazonaws.com/workspaces/ws-00000000-0000-0000-0000-000000000000/api/v1/remote_write`,
      clusterName: `mallhive-${envName}`,
      podMetricsNamespaces: [orderService.name, adotCollector.namespace],
      traceLogGroupNames: [`/aws/eks/mallhive-${envName}/order-service`],
    }),
  };
}
