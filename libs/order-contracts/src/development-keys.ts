/**
 * Keys that are public knowledge, used only outside production so the service and the simulators trust
 * each other with no configuration. Production refuses to start without its own (config/secrets).
 */
export const DEV_PAYMENT_CALLBACK_SECRET = 'dev-payment-callback-secret';
export const DEV_ANALYTICS_API_KEY = 'dev-analytics-key';
