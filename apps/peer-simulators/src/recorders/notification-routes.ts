import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { injectFaults } from '../faults/fault-hook.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';

export interface RecordedEmail {
  readonly to: string;
  readonly subject: string;
  readonly message: string;
  readonly idempotencyKey: string | undefined;
  readonly receivedAt: string;
}

/** The notification service's e-mail endpoint as it exists today; it records instead of mailing. */
export const notificationRoutes: FastifyPluginAsyncTypebox<{
  emails: RecordedEmail[];
  faults: FaultPlan;
}> = async (app, { emails, faults }) => {
  injectFaults(app, 'notification', faults);

  app.post(
    '/api/v1/notify/email',
    {
      schema: {
        body: Type.Object({
          to: Type.String({ minLength: 3 }),
          subject: Type.String(),
          message: Type.String(),
        }),
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      emails.push({
        ...request.body,
        idempotencyKey: typeof key === 'string' ? key : undefined,
        receivedAt: new Date().toISOString(),
      });
      // NestJS answers a POST with 201 by default.
      return reply.code(201).send({ status: 'sent' });
    },
  );
};
