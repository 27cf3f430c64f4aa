import type { Logger } from 'pino';
import type { EventPublisher } from '../../application/ports.ts';
import type { CloudEvent } from '../../events/cloud-event.ts';

/** The development publisher: every event becomes one structured log line on stdout. */
export function createLogPublisher(logger: Logger): EventPublisher {
  return {
    async publish(events: readonly CloudEvent[]) {
      for (const event of events) logger.info({ event }, `event ${event.type}`);
    },
  };
}
