/**
 * The services the order service calls: the Kubernetes service name (each lives in a namespace of the same
 * name), the port it listens on, and the order service's setting that holds its base URL.
 */
export const peerServices = {
  product: { name: 'product-service', port: 4100, urlSetting: 'PRODUCT_SERVICE_URL' },
  notification: {
    name: 'notification-service',
    port: 4400,
    urlSetting: 'NOTIFICATION_SERVICE_URL',
  },
  payment: { name: 'payment-service', port: 4500, urlSetting: 'PAYMENT_SERVICE_URL' },
  analytics: { name: 'analytics-service', port: 4800, urlSetting: 'ANALYTICS_SERVICE_URL' },
} as const;

export type PeerName = keyof typeof peerServices;

export const peerNames = Object.keys(peerServices) as PeerName[];
