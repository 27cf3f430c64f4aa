import { simulatedUnitPrice } from '@mallhive/order-contracts';
import type { PlaceOrderRequest } from '../../src/application/place-order.ts';
import { placeOrder } from '../../src/domain/order.ts';
import type { Order } from '../../src/domain/order.ts';
import { etagOf, locationOf, toOrderResource } from '../../src/http/order-resource.ts';

/**
 * The order the service places for `body` (priced as the simulated product service prices it), built by
 * the service's own domain code, and the 201 response it stores for the idempotency key: what the
 * benchmarks write through the service's SQL without going through HTTP.
 */
export function placedOrder(body: PlaceOrderRequest, orderId: string) {
  const order: Order = placeOrder({
    id: orderId,
    userId: body.userId,
    currency: body.currency,
    customerEmail: body.customerEmail,
    shippingAddress: body.shippingAddress,
    lines: body.items.map((item) => ({
      ...item,
      unitPrice: simulatedUnitPrice(item.productId, body.currency),
    })),
    at: new Date(),
    actor: body.userId,
  });
  const response = {
    statusCode: 201,
    headers: { location: locationOf(order), etag: etagOf(order) },
    body: JSON.stringify(toOrderResource(order)),
  };
  return { order, response };
}
