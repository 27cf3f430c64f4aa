import type { OrderEventData, OrderEventType } from '../domain/order-events.ts';
import type { TraceContext } from '../observability/trace-context.ts';

/** CloudEvents 1.0 (structured JSON form) — the envelope of every event the service publishes. */
export interface CloudEvent<T = OrderEventData> {
  readonly specversion: '1.0';
  /** The outbox event id: stable across redeliveries, so consumers can deduplicate. */
  readonly id: string;
  readonly source: string;
  readonly type: string;
  /** The order id. */
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  /**
   * The distributed-tracing extension: the W3C trace context of the step that produced the event, so a
   * consumer continues the order's trace. Absent when the step was not traced.
   */
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly data: T;
}

const EVENT_SOURCE = '/mallhive/order-service';

export function cloudEventType(type: OrderEventType): string {
  return `com.mallhive.order.${type.replaceAll('_', '-')}.v1`;
}

export function toCloudEvent(
  id: string,
  event: { type: OrderEventType; orderId: string; occurredAt: Date; data: OrderEventData },
  traceContext?: TraceContext,
): CloudEvent {
  return {
    specversion: '1.0',
    id,
    source: EVENT_SOURCE,
    type: cloudEventType(event.type),
    subject: event.orderId,
    time: event.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    ...traceContext,
    data: event.data,
  };
}
