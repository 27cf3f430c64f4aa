export { OrderServiceChart } from './order-service-chart.ts';
export { OrderServicePrerequisitesChart } from './order-service-prerequisites-chart.ts';
export { FargateLogRouterChart } from './fargate-log-router-chart.ts';
export { fargateLogRouterData } from './constructs/fargate-log-router.ts';
export type * from './order-service-chart-props.ts';
export { findPropsProblems, assertValidProps } from './props-validation.ts';
export { imageReference } from './image-reference.ts';
export { fargateSizeProblem, provisionedFargateSize } from './fargate-sizes.ts';
export { rolloutSurgeFraction } from './constructs/order-service-deployment.ts';
export {
  orderServiceNamespaceLabels,
  restrictedNamespaceLabels,
} from './constructs/order-service-namespace.ts';
export {
  inClusterPeerUrls,
  orderService,
  peerServices,
  type PeerName,
} from './service-contract.ts';
export { validateManifests, assertValidManifests } from './validation/validate-manifests.ts';
export { devChartProps } from './config/dev.ts';
export { prodChartProps } from './config/prod.ts';
export {
  AdotCollectorChart,
  type AdotCollectorChartProps,
} from './observability/adot-collector-chart.ts';
export {
  adotCollector,
  adotCollectorImage,
  adotCollectorOtlpHttpEndpoint,
} from './observability/collector-contract.ts';
export {
  findCollectorConfigProblems,
  renderCollectorConfig,
  type CollectorConfig,
} from './observability/collector-config.ts';
export {
  platformCollectorConfig,
  type PlatformCollectorProps,
} from './observability/order-platform-collector-config.ts';
export {
  orderServiceAlertRules,
  orderServiceRuleGroups,
  orderServiceRulesFile,
  runbookUrl,
  type PrometheusRuleGroup,
} from './constructs/alert-rules.ts';
