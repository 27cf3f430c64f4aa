import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/** Routes kafkajs's own log lines into the service's pino logger (JSON on stdout, like everything else). */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      // pino stamps its own time.
      const bindings: Record<string, unknown> = {
        kafka: namespace,
        ...fields,
        timestamp: undefined,
      };
      if (level === logLevel.ERROR) logger.error(bindings, message);
      else if (level === logLevel.WARN) logger.warn(bindings, message);
      else if (level === logLevel.INFO) logger.info(bindings, message);
      else logger.debug(bindings, message);
    };
}
