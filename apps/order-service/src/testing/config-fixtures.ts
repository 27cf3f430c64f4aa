import { ConfigError, loadConfig } from '../config/config.ts';

/** The problems `loadConfig` reports for `env`, one line each; none when it is valid. */
export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** What production cannot start without: each is named when missing. */
export const REQUIRED_IN_PRODUCTION = [
  'PUBLIC_BASE_URL',
  'DATABASE_URL',
  'PAYMENT_CALLBACK_SECRET',
  'CURSOR_SECRET',
  'PRODUCT_SERVICE_URL',
  'PAYMENT_SERVICE_URL',
  'NOTIFICATION_SERVICE_URL',
  'ANALYTICS_SERVICE_URL',
  'EVENT_BUS',
  'AUTH_ISSUER',
] as const;

/** A production configuration complete but for its database and three keys (callback, cursor, analytics). */
export const productionWithoutKeys: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  PUBLIC_BASE_URL: 'https://order.internal.mallhive.com',
  AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
  AUTH_ALLOWED_CLIENT_IDS: 'warehouse-client-id',
  PRODUCT_SERVICE_URL: 'http://product-service.product-service.svc.cluster.local:4100',
  PAYMENT_SERVICE_URL: 'http://payment-service.payment-service.svc.cluster.local:4500',
  NOTIFICATION_SERVICE_URL:
    'http://notification-service.notification-service.svc.cluster.local:4400',
  ANALYTICS_SERVICE_URL: 'http://analytics-service.analytics-service.svc.cluster.local:4800',
  EVENT_BUS: 'log',
};

/** A complete production configuration, its credentials and keys read from AWS Secrets Manager. */
export const production: Readonly<Record<string, string>> = {
  ...productionWithoutKeys,
  DB_SECRET_ID: 'order-service/db',
  PAYMENT_CALLBACK_SECRET_ID: 'order-service/payment-callback',
  CURSOR_SECRET_ID: 'order-service/cursor',
  ANALYTICS_SECRET_ID: 'order-service/analytics',
};
