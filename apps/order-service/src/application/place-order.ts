import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { StoredResponse } from '../adapters/postgres/idempotency-store.ts';
import {
  claimIdempotencyKey,
  releaseIdempotencyKey,
} from '../adapters/postgres/idempotency-store.ts';
import { insertPlacedOrder } from '../adapters/postgres/order-repository.ts';
import { OrderError, PeerContractError } from '../domain/errors.ts';
import type { Order, ShippingAddress } from '../domain/order.ts';
import { placeOrder as newPlacedOrder } from '../domain/order.ts';
import { outboxEntriesFor } from '../outbox/outbox-entry.ts';
import type { OrderContext } from './context.ts';
import type { Reservation } from './ports.ts';

export interface PlaceOrderRequest {
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
 * is remembered; on any failure the key and the reservation are released so the client can retry.
 */
export async function placeOrder(
  context: OrderContext,
  idempotencyKey: string,
  request: PlaceOrderRequest,
  render: (order: Order) => StoredResponse,
): Promise<PlaceOrderResult> {
  const claim = await claimIdempotencyKey(context.db, idempotencyKey, hashRequest(request));
  switch (claim.outcome) {
    case 'replay':
      return { response: claim.response, replayed: true };
    case 'reused':
      throw new OrderError(
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request.',
      );
    case 'in_progress':
      throw new OrderError(
        'idempotency_request_in_progress',
        'A request with this Idempotency-Key is still in progress.',
      );
    case 'claimed':
      break;
  }

  const orderId = context.newId();
  let reservation: Reservation;
  try {
    reservation = await context.peers.inventory.reserve({
      orderId,
      currency: request.currency,
      items: request.items,
    });
  } catch (error) {
    await releaseIdempotencyKey(context.db, idempotencyKey);
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
    });
    const response = render(order);
    await insertPlacedOrder(context.db, order, outboxEntriesFor(order, context.newId), {
      key: idempotencyKey,
      response,
    });
    context.metrics.ordersCreated.inc();
    context.outboxWritten();
    return { response, replayed: false };
  } catch (error) {
    await Promise.allSettled([
      context.peers.inventory.release(orderId).catch((releaseError: unknown) => {
        // The product side expires unconfirmed reservations too; this only frees the stock sooner.
        context.logger.warn(
          { err: releaseError, orderId },
          'could not release the reservation of an unstored order',
        );
      }),
      releaseIdempotencyKey(context.db, idempotencyKey),
    ]);
    throw error;
  }
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
