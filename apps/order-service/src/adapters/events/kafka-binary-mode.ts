/**
 * CloudEvents' Kafka protocol binding, binary content mode: the envelope's attributes travel as `ce_*`
 * headers and the message value is the event's data alone. The key is the order id, so all events of an
 * order land in one partition, in order.
 *
 * The distributed-tracing extension travels twice, as the CloudEvents spec asks for a single hop: as
 * `ce_traceparent`/`ce_tracestate` (the extension attributes) and as the protocol's own `traceparent`/
 * `tracestate` headers, which OpenTelemetry's Kafka consumers read.
 */
import type { IHeaders, Message } from 'kafkajs';
import type { CloudEvent } from '../../events/cloud-event.ts';

export function toKafkaMessage(event: CloudEvent): Message {
  return {
    key: event.subject,
    value: JSON.stringify(event.data),
    headers: {
      ce_specversion: event.specversion,
      ce_id: event.id,
      ce_source: event.source,
      ce_type: event.type,
      ce_subject: event.subject,
      ce_time: event.time,
      'content-type': event.datacontenttype,
      ...(event.traceparent
        ? { ce_traceparent: event.traceparent, traceparent: event.traceparent }
        : {}),
      ...(event.tracestate
        ? { ce_tracestate: event.tracestate, tracestate: event.tracestate }
        : {}),
    },
  };
}

/** A header's value as text (kafkajs hands headers over as Buffers). */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
