/** The Kubernetes names the chart gives the service (infra/k8s: all are `orderService.name`). */
export const orderServiceWorkload = {
  deployment: 'order-service',
  container: 'order-service',
  service: 'order-service',
} as const;
