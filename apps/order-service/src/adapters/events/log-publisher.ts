import { context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { EventPublisher } from '../../application/ports.ts';
import type { CloudEvent } from '../../events/cloud-event.ts';
import { contextOf } from '../../observability/trace-context.ts';

/**
 * The development publisher: every event becomes one structured log line on stdout, in the trace the event
 * carries (so the line's trace_id is the order's).
 */
export function createLogPublisher(logger: Logger): EventPublisher {
  return {
    async publish(events: readonly CloudEvent[]) {
      for (const event of events)
        context.with(contextOf(event), () => logger.info({ event }, `event ${event.type}`));
    },
  };
}
