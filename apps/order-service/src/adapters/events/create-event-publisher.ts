/** Chooses the event publisher the configuration names (`EVENT_BUS=log|kafka|eventbridge`). */
import type { Logger } from 'pino';
import type { EventPublisher } from '../../application/ports.ts';
import type { Config } from '../../config/config.ts';
import type { SecretReader } from '../aws/secrets.ts';
import { createLogPublisher } from './log-publisher.ts';

/**
 * Builds the publisher without contacting the broker (a broker outage must not stop start-up; the outbox
 * holds the events), but reads its credentials now, so a missing secret stops start-up with a clear error.
 * Only the configured bus's client is loaded: kafkajs and the AWS SDK each cost start-up time (docs/performance.md,
 * "Start-up").
 */
export async function createEventPublisher(
  config: Config['events'],
  deps: { logger: Logger; aws: Config['aws']; secrets: SecretReader },
): Promise<EventPublisher> {
  switch (config.bus) {
    case 'log':
      return createLogPublisher(deps.logger);
    case 'kafka': {
      const [{ createKafka }, { KafkaPublisher }] = await Promise.all([
        import('./kafka-client-config.ts'),
        import('./kafka-publisher.ts'),
      ]);
      return KafkaPublisher.fromKafka(await createKafka(config, deps), config.topic);
    }
    case 'eventbridge': {
      const { createEventBridgeClient, EventBridgePublisher } =
        await import('./eventbridge-publisher.ts');
      return new EventBridgePublisher({
        busName: config.busName,
        client: createEventBridgeClient(deps.aws),
      });
    }
  }
}
