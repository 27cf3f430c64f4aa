import { findOrder, saveOrderChange } from '../adapters/postgres/order-repository.ts';
import { markMessageProcessed } from '../adapters/postgres/processed-messages.ts';
import { OrderError } from '../domain/errors.ts';
import type { Order, TransitionRequest } from '../domain/order.ts';
import { transition } from '../domain/order.ts';
import type { OutboxEntry } from '../outbox/outbox-entry.ts';
import { outboxEntriesFor } from '../outbox/outbox-entry.ts';
import type { OrderContext } from './context.ts';

/** The new state of an order and the follow-up work it requires. */
export interface OrderChange {
  readonly after: Order;
  readonly outbox: readonly OutboxEntry[];
}

export interface ModifyOptions {
  /** From `If-Match`: refuse with `version_conflict` unless the order is still at this version. */
  readonly expectedVersion?: number;
  /** A consumed message's id: the change is applied at most once per id. */
  readonly messageId?: string;
}

export type ModifyResult =
  | { readonly outcome: 'changed' | 'unchanged'; readonly order: Order }
  | { readonly outcome: 'duplicate_message' };

const MAX_ATTEMPTS = 5;

/**
 * Read, decide, write with optimistic locking; on a lost race, decide again on the fresh state (unless the
 * caller pinned a version). Two racing commands therefore never both win, and neither update is lost.
 * Checks come in the order the API promises: 404 unknown, 412 stale version, then the decision (409).
 */
export async function modifyOrder(
  context: OrderContext,
  orderId: string,
  decide: (order: Order) => OrderChange | undefined,
  options: ModifyOptions = {},
): Promise<ModifyResult> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const order = await findOrder(context.db, orderId);
    if (!order) throw new OrderError('order_not_found', `Order ${orderId} does not exist.`);
    if (options.expectedVersion !== undefined && options.expectedVersion !== order.version) {
      throw versionConflict(order);
    }
    const change = decide(order);
    if (!change) return { outcome: 'unchanged', order };

    const saved = await save(context, order, change, options.messageId);
    if (saved === 'duplicate_message') return { outcome: 'duplicate_message' };
    if (saved) {
      if (change.after.status !== order.status) {
        context.metrics.transitions.inc({ from: order.status, to: change.after.status });
      }
      if (change.outbox.length > 0) context.outboxWritten();
      return { outcome: 'changed', order: change.after };
    }
    if (options.expectedVersion !== undefined) throw versionConflict(order);
  }
  throw new OrderError('version_conflict', `Order ${orderId} is changing too often; retry.`);
}

/** The change that moves `order` to another status, with the step's event and follow-ups. */
export function stepTo(
  context: OrderContext,
  order: Order,
  request: Omit<TransitionRequest, 'at'>,
): OrderChange {
  const after = transition(order, { ...request, at: context.clock() });
  return { after, outbox: outboxEntriesFor(after, context.newId) };
}

async function save(
  context: OrderContext,
  before: Order,
  change: OrderChange,
  messageId: string | undefined,
): Promise<boolean | 'duplicate_message'> {
  if (messageId === undefined)
    return saveOrderChange(context.db, before, change.after, change.outbox);
  return context.db
    .transaction(async (client) => {
      if (!(await markMessageProcessed(client, messageId))) return 'duplicate_message' as const;
      const saved = await saveOrderChange(client, before, change.after, change.outbox);
      // Roll back the message mark with a lost race, so the retry can claim it.
      if (!saved) throw new LostRace();
      return true;
    })
    .catch((error: unknown) => {
      if (error instanceof LostRace) return false;
      throw error;
    });
}

class LostRace extends Error {}

function versionConflict(order: Order): OrderError {
  return new OrderError('version_conflict', `Order ${order.id} is at version ${order.version}.`, {
    currentVersion: order.version,
  });
}
