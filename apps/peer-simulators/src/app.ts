import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { adminRoutes, type SimulatorState } from './admin/admin-routes.ts';
import { FaultPlan } from './faults/fault-plan.ts';
import { defaultSimulatorOptions, type SimulatorOptions } from './options.ts';
import { PaymentBook } from './payments/payment-book.ts';
import { paymentRoutes } from './payments/payment-routes.ts';
import { productRoutes } from './product/product-routes.ts';
import { ReservationBook } from './product/reservation-book.ts';
import { analyticsRoutes } from './recorders/analytics-routes.ts';
import { notificationRoutes } from './recorders/notification-routes.ts';
import { warehouseRoutes } from './warehouse/warehouse-routes.ts';

/**
 * The four peers of the order service in one Fastify app (their paths do not overlap), so one process
 * on one port stands in for product, payment, notification and analytics. State lives in memory.
 */
export function buildSimulatorApp(
  options: Partial<SimulatorOptions> = {},
  fastifyOptions: FastifyServerOptions = { logger: false },
) {
  const settings: SimulatorOptions = { ...defaultSimulatorOptions, ...options };
  const app = Fastify(fastifyOptions).withTypeProvider<TypeBoxTypeProvider>();
  const shutdown = new AbortController();
  app.addHook('onClose', async () => shutdown.abort());

  const state: SimulatorState = {
    reservations: new ReservationBook(settings.reservationTtlMs),
    payments: new PaymentBook(),
    emails: [],
    analyticsEvents: [],
    faults: new FaultPlan(),
  };

  // Validation failures answer like the contracts say: 400 with a code.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) request.log.error({ err: error }, 'simulator error');
    return reply.code(status).send({
      code: status === 400 ? 'validation_failed' : 'internal_error',
      message: status >= 500 ? 'Internal error.' : error.message,
    });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  void app.register(productRoutes, { book: state.reservations, faults: state.faults });
  void app.register(paymentRoutes, {
    book: state.payments,
    faults: state.faults,
    callbackSecret: settings.paymentCallbackSecret,
    callbackDelayMs: settings.paymentCallbackDelayMs,
    shutdown: shutdown.signal,
  });
  void app.register(notificationRoutes, { emails: state.emails, faults: state.faults });
  void app.register(analyticsRoutes, {
    events: state.analyticsEvents,
    faults: state.faults,
    apiKey: settings.analyticsApiKey,
    rateLimit: settings.analyticsRateLimit,
  });
  void app.register(adminRoutes, { state });
  void app.register(warehouseRoutes, settings.warehouse);
  return app;
}

export type SimulatorApp = ReturnType<typeof buildSimulatorApp>;
