export { OrderServiceChart } from './order-service-chart.ts';
export type * from './order-service-chart-props.ts';
export { findPropsProblems, assertValidProps } from './props-validation.ts';
export { orderServiceNamespaceLabels } from './constructs/order-service-namespace.ts';
export {
  inClusterPeerUrls,
  orderService,
  peerServices,
  type PeerName,
} from './service-contract.ts';
export { validateManifests, assertValidManifests } from './validation/validate-manifests.ts';
export { devChartProps } from './config/dev.ts';
export { prodChartProps } from './config/prod.ts';
