import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { injectFaults } from '../faults/fault-hook.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';
import { TokenBucket } from './token-bucket.ts';

export interface RecordedAnalyticsEvent {
  readonly eventId: string;
  readonly body: Record<string, unknown>;
  readonly receivedAt: string;
}

/**
 * The analytics service's `POST /events` as it exists today: Bearer key, 202 `{event_id, status, timestamp}`,
 * `{error}` bodies on 400/401/429 and a rate limit of 10/s with a burst of 30.
 */
export const analyticsRoutes: FastifyPluginAsyncTypebox<{
  events: RecordedAnalyticsEvent[];
  faults: FaultPlan;
  apiKey: string;
  rateLimit: { perSecond: number; burst: number } | undefined;
}> = async (app, { events, faults, apiKey, rateLimit }) => {
  injectFaults(app, 'analytics', faults);
  const bucket = rateLimit && new TokenBucket(rateLimit.perSecond, rateLimit.burst);

  // The service's own error shape is `{error}`, for validation failures too.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    return reply.code(status).send({ error: status === 400 ? error.message : 'internal error' });
  });

  app.post(
    '/events',
    {
      schema: {
        body: Type.Object({
          user_id: Type.String(),
          event_type: Type.Union([
            Type.Literal('user_behavior'),
            Type.Literal('sales_metric'),
            Type.Literal('system_metric'),
          ]),
          event_subtype: Type.String({ minLength: 1 }),
          source_service: Type.String({ minLength: 1 }),
          value: Type.Number(),
          product_id: Type.Optional(Type.String()),
          category: Type.Optional(Type.String()),
          session_id: Type.Optional(Type.String()),
          metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }),
      },
      // Authentication and the rate limit come before validation, as in the real service.
      onRequest: async (request, reply) => {
        if (request.headers.authorization !== `Bearer ${apiKey}`) {
          return reply.code(401).send({ error: 'invalid or missing API key' });
        }
        const token = bucket?.take();
        if (token && !token.allowed) {
          return reply
            .code(429)
            .header('retry-after', String(token.retryAfterSeconds))
            .send({ error: 'rate limit exceeded' });
        }
      },
    },
    async (request, reply) => {
      const event: RecordedAnalyticsEvent = {
        eventId: randomUUID(),
        body: request.body,
        receivedAt: new Date().toISOString(),
      };
      events.push(event);
      return reply
        .code(202)
        .send({ event_id: event.eventId, status: 'queued', timestamp: event.receivedAt });
    },
  );
};
