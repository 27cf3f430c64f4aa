import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { SIGNATURE_HEADER } from '@mallhive/order-contracts';
import { logTraceFields } from './log-trace-fields.ts';

/**
 * JSON lines on stdout (Fargate's log router ships them to CloudWatch as they are). Customers' email
 * addresses and anything secret are censored wherever they turn up in a log object. A line written inside
 * traced work carries its trace_id and span_id.
 */
export function createLogger(options: { level: string }, destination?: DestinationStream): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'order-service' },
      mixin: logTraceFields,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          `req.headers["${SIGNATURE_HEADER}"]`,
          'customerEmail',
          '*.customerEmail',
          'recipient',
          '*.recipient',
          '*.to',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
