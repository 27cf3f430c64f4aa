import { DEV_ANALYTICS_API_KEY, DEV_PAYMENT_CALLBACK_SECRET } from '@mallhive/order-contracts';
import type { WarehouseOptions } from './warehouse/warehouse-routes.ts';

/**
 * Settings of the simulator, from the environment (documented in docs/peers.md). The defaults match the
 * order service's development defaults, so both start with no configuration and trust each other.
 */
export interface SimulatorOptions {
  /** HMAC key that signs payment callbacks; the order service's PAYMENT_CALLBACK_SECRET. */
  readonly paymentCallbackSecret: string;
  /** How long after accepting a payment the simulator decides it and calls back. */
  readonly paymentCallbackDelayMs: number;
  /** A reservation neither committed nor released returns its stock after this long. */
  readonly reservationTtlMs: number;
  /** The Bearer key the analytics endpoint accepts; the order service's ANALYTICS_API_KEY. */
  readonly analyticsApiKey: string;
  /** The analytics service's rate limit (requests per second, burst); `undefined` turns it off. */
  readonly analyticsRateLimit: { readonly perSecond: number; readonly burst: number } | undefined;
  /** The warehouse: the order service it fulfils orders of, and its OAuth client (docs/peers.md). */
  readonly warehouse: WarehouseOptions;
}

export const defaultSimulatorOptions: SimulatorOptions = {
  paymentCallbackSecret: DEV_PAYMENT_CALLBACK_SECRET,
  paymentCallbackDelayMs: 200,
  reservationTtlMs: 30 * 60_000,
  analyticsApiKey: DEV_ANALYTICS_API_KEY,
  analyticsRateLimit: { perSecond: 10, burst: 30 },
  warehouse: { orderServiceUrl: 'http://127.0.0.1:4200', credentials: undefined },
};

export function simulatorOptionsFromEnv(env: NodeJS.ProcessEnv): SimulatorOptions {
  const number = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
    return value;
  };
  return {
    paymentCallbackSecret: env.PAYMENT_CALLBACK_SECRET || DEV_PAYMENT_CALLBACK_SECRET,
    paymentCallbackDelayMs: number('PAYMENT_CALLBACK_DELAY_MS', 200),
    reservationTtlMs: number('RESERVATION_TTL_MS', 30 * 60_000),
    analyticsApiKey: env.ANALYTICS_API_KEY || DEV_ANALYTICS_API_KEY,
    analyticsRateLimit:
      env.ANALYTICS_RATE_LIMIT === 'off'
        ? undefined
        : {
            perSecond: number('ANALYTICS_RATE_PER_SECOND', 10),
            burst: number('ANALYTICS_RATE_BURST', 30),
          },
    warehouse: {
      orderServiceUrl: env.ORDER_SERVICE_URL || 'http://127.0.0.1:4200',
      credentials: env.WAREHOUSE_TOKEN_URL
        ? {
            tokenUrl: env.WAREHOUSE_TOKEN_URL,
            // The order service's development issuer knows this client (dev only).
            clientId: env.WAREHOUSE_CLIENT_ID || 'dev-warehouse',
            clientSecret: env.WAREHOUSE_CLIENT_SECRET || 'dev-warehouse-secret',
            scope: 'orders/fulfil',
          }
        : undefined,
    },
  };
}
