import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PEERS, type FaultPlan, type PeerName } from '../faults/fault-plan.ts';
import type { PaymentBook } from '../payments/payment-book.ts';
import type { ReservationBook } from '../product/reservation-book.ts';
import type { RecordedAnalyticsEvent } from '../recorders/analytics-routes.ts';
import type { RecordedEmail } from '../recorders/notification-routes.ts';

export interface SimulatorState {
  readonly reservations: ReservationBook;
  readonly payments: PaymentBook;
  readonly emails: RecordedEmail[];
  readonly analyticsEvents: RecordedAnalyticsEvent[];
  readonly faults: FaultPlan;
}

/** What the simulator received, and the fault plan, for tests and humans (`/admin/...`). */
export const adminRoutes: FastifyPluginAsyncTypebox<{ state: SimulatorState }> = async (
  app,
  { state },
) => {
  app.get('/admin/reservations', async () => state.reservations.list());
  app.get('/admin/payments', async () => state.payments.list());
  app.get('/admin/notifications', async () => state.emails);
  app.get('/admin/analytics', async () => state.analyticsEvents);
  app.get('/admin/faults', async () => state.faults.list());

  const peerParams = Type.Object({ peer: Type.Union(PEERS.map((peer) => Type.Literal(peer))) });

  app.put(
    '/admin/faults/:peer',
    {
      schema: {
        params: peerParams,
        body: Type.Object(
          {
            status: Type.Optional(
              Type.Union([Type.Integer({ minimum: 400, maximum: 599 }), Type.Literal('timeout')]),
            ),
            retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
            latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 120_000 })),
            count: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      state.faults.set(request.params.peer as PeerName, request.body);
      return state.faults.list();
    },
  );

  app.delete('/admin/faults/:peer', { schema: { params: peerParams } }, async (request) => {
    state.faults.clear(request.params.peer as PeerName);
    return state.faults.list();
  });

  app.delete('/admin/faults', async () => {
    state.faults.clear();
    return state.faults.list();
  });
};
