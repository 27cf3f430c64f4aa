import type { EventPublisher } from '../../src/application/ports.ts';
import type { CloudEvent } from '../../src/events/cloud-event.ts';

/** A sink that accepts every event and remembers what it saw, to check delivery afterwards. */
export class CountingPublisher implements EventPublisher {
  /** How many times each event id arrived. */
  readonly deliveries = new Map<string, number>();
  /** The event types each order's events arrived in, in arrival order. */
  readonly typesByOrder = new Map<string, string[]>();

  async publish(events: readonly CloudEvent[]): Promise<void> {
    for (const event of events) {
      this.deliveries.set(event.id, (this.deliveries.get(event.id) ?? 0) + 1);
      const types = this.typesByOrder.get(event.subject);
      if (types) types.push(event.type);
      else this.typesByOrder.set(event.subject, [event.type]);
    }
  }

  reset(): void {
    this.deliveries.clear();
    this.typesByOrder.clear();
  }

  /**
   * Problems with the delivery of `expected`: ids missing, duplicated or unexpected, and orders whose events
   * arrived out of creation order (`order` lists the event types in creation order). Empty when all is well.
   */
  problems(expected: ReadonlySet<string>, order: readonly string[]): string[] {
    const problems: string[] = [];
    let missing = 0;
    let duplicated = 0;
    for (const id of expected) {
      const count = this.deliveries.get(id) ?? 0;
      if (count === 0) missing += 1;
      if (count > 1) duplicated += 1;
    }
    const unexpected = [...this.deliveries.keys()].filter((id) => !expected.has(id)).length;
    let outOfOrder = 0;
    for (const types of this.typesByOrder.values()) {
      const positions = types.map((type) =>
        order.indexOf(type.split('.')[3]?.replaceAll('-', '_') ?? ''),
      );
      if (positions.some((position, index) => position !== index)) outOfOrder += 1;
    }
    if (missing) problems.push(`${missing} events never arrived`);
    if (duplicated) problems.push(`${duplicated} events arrived more than once`);
    if (unexpected) problems.push(`${unexpected} events arrived that were never written`);
    if (outOfOrder) problems.push(`${outOfOrder} orders' events arrived out of creation order`);
    return problems;
  }
}
