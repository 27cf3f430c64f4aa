import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { Claim, StoredResponse } from '../adapters/postgres/idempotency-store.ts';
import { claimIdempotencyKey, settleClaim } from '../adapters/postgres/idempotency-store.ts';
import { insertPlacedOrder } from '../adapters/postgres/order-repository.ts';
import { OrderError, PeerContractError } from '../domain/errors.ts';
import type { Order, ShippingAddress } from '../domain/order.ts';
import { placeOrder as newPlacedOrder } from '../domain/order.ts';
import { outboxEntriesFor } from '../outbox/outbox-entry.ts';
import type { OrderContext } from './context.ts';
import type { Reservation } from './ports.ts';

export interface PlaceOrderRequest {
  /** Who places it (recorded in the status history). */
  readonly actor: string;
  readonly userId: string;
  readonly currency: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
  readonly customerEmail: string;
  readonly shippingAddress: ShippingAddress;
}

export interface PlaceOrderResult {
  readonly response: StoredResponse;
  /** True when this is the stored response to an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * Places an order exactly once per idempotency key: claim the key, reserve stock (the product side prices
 * the items), then store order, items, history, outbox and the response in one statement. Only a success
 * is remembered; on any failure the key and the reservation are released so the client can retry — unless
 * the order was stored after all and only the database's answer was lost: then that stored response is
 * the answer, and the reservation belongs to an order that proceeds.
 */
export async function placeOrder(
  context: OrderContext,
  idempotencyKey: string,
  request: PlaceOrderRequest,
  render: (order: Order) => StoredResponse,
): Promise<PlaceOrderResult> {
  const orderId = context.newId();
  let claim: Claim;
  try {
    claim = await claimIdempotencyKey(context.db, idempotencyKey, hashRequest(request), {
      orderId,
      presenceKey: context.presence.key,
    });
  } catch (error) {
    // The claim may have committed with its answer lost: free it, or the client's retry waits for nothing.
    await settleFailedPlacement(context, idempotencyKey, orderId, { reserved: false });
    throw error;
  }
  switch (claim.outcome) {
    case 'replay':
      return { response: claim.response, replayed: true };
    case 'reused':
      throw new OrderError(
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request.',
      );
    case 'in_progress':
      throw inProgress();
    case 'claimed':
      break;
  }

  let reservation: Reservation;
  try {
    reservation = await context.peers.inventory.reserve({
      orderId,
      currency: request.currency,
      items: request.items,
    });
  } catch (error) {
    await settleFailedPlacement(context, idempotencyKey, orderId, { reserved: false });
    throw error;
  }

  try {
    const order = newPlacedOrder({
      id: orderId,
      userId: request.userId,
      currency: request.currency,
      customerEmail: request.customerEmail,
      shippingAddress: request.shippingAddress,
      lines: pricedLines(request, reservation),
      at: context.clock(),
      actor: request.actor,
    });
    const response = render(order);
    const stored = await insertPlacedOrder(
      context.db,
      order,
      outboxEntriesFor(order, context.newId),
      { key: idempotencyKey, response },
    );
    // A retry took the claim over while we were reserving (it saw our process gone): it places the order.
    if (!stored) throw inProgress();
    orderStored(context);
    return { response, replayed: false };
  } catch (error) {
    const stored = await settleFailedPlacement(context, idempotencyKey, orderId, {
      reserved: true,
    });
    if (!stored) throw error;
    context.logger.warn(
      { err: error, orderId },
      'the order was stored but the database answer was lost; answering with the stored response',
    );
    orderStored(context);
    return { response: stored, replayed: false };
  }
}

/**
 * After a failure: finds out whether the order was stored (settleClaim). If it was, returns its stored
 * response (undefined when a late background settlement finds the record expired: the order proceeds, and
 * its reservation with it); if not, frees the key and releases the reservation. When the database cannot
 * say (it is away), the same is done in the background as soon as it is back, and the caller gets
 * undefined.
 */
async function settleFailedPlacement(
  context: OrderContext,
  key: string,
  orderId: string,
  { reserved }: { reserved: boolean },
): Promise<StoredResponse | undefined> {
  const settle = async () => {
    const outcome = await settleClaim(context.db, key, orderId);
    if (outcome.stored) return outcome.response;
    if (reserved) {
      await context.peers.inventory.release(orderId).catch((releaseError: unknown) => {
        // The product side expires unconfirmed reservations too; this only frees the stock sooner.
        context.logger.warn(
          { err: releaseError, orderId },
          'could not release the reservation of an unstored order',
        );
      });
    }
    return undefined;
  };
  try {
    return await settle();
  } catch (error) {
    context.logger.warn(
      { err: error, orderId },
      'cannot tell yet whether the order was stored; settling it once the database answers',
    );
    context.retryInBackground(`settle placement of order ${orderId}`, async () => {
      await settle();
    });
    return undefined;
  }
}

function orderStored(context: OrderContext): void {
  context.metrics.ordersCreated.inc();
  context.outboxWritten();
}

function inProgress(): OrderError {
  return new OrderError(
    'idempotency_request_in_progress',
    'A request with this Idempotency-Key is still in progress.',
  );
}

function hashRequest(request: PlaceOrderRequest): string {
  return createHash('sha256')
    .update(stringify(request) ?? '')
    .digest('hex');
}

/** The request's items in request order, priced by the reservation; a reservation that misses one is a peer fault. */
function pricedLines(request: PlaceOrderRequest, reservation: Reservation) {
  const prices = new Map(reservation.lines.map((line) => [line.productId, line.unitPrice]));
  return request.items.map((item) => {
    const unitPrice = prices.get(item.productId);
    if (unitPrice === undefined || !Number.isSafeInteger(unitPrice) || unitPrice < 0) {
      throw new PeerContractError(
        'product',
        'reserve',
        `the reservation has no valid price for ${item.productId}`,
      );
    }
    return { ...item, unitPrice };
  });
}
