import { z } from 'zod';
import type { InventoryPort, Reservation, ReservationRequest } from '../../application/ports.ts';
import { OrderError } from '../../domain/errors.ts';
import { readBody } from './peer-answer.ts';
import type { PeerClient } from './peer-client.ts';
import { PeerRejectionError } from './peer-errors.ts';

/** Stock reservations at the product service, per docs/contracts/product-reservations.openapi.yaml. */
const reservationSchema = z.object({
  orderId: z.string(),
  status: z.string(),
  lines: z.array(
    z.object({
      productId: z.string(),
      quantity: z.number().int().positive(),
      unitPrice: z.number().int().nonnegative(),
    }),
  ),
});
const insufficientStockSchema = z.object({
  items: z.array(z.object({ productId: z.string(), requested: z.number(), available: z.number() })),
});
const unknownProductsSchema = z.object({ productIds: z.array(z.string()) });

export class ProductInventory implements InventoryPort {
  readonly #client: PeerClient;

  constructor(client: PeerClient) {
    this.#client = client;
  }

  async reserve(request: ReservationRequest): Promise<Reservation> {
    const answer = await this.#client.request({
      operation: 'reserve',
      method: 'POST',
      path: '/api/v1/reservations',
      body: { orderId: request.orderId, currency: request.currency, items: request.items },
      idempotencyKey: request.orderId,
      idempotent: true,
    });
    const code = errorCode(answer.body);
    if (answer.status === 409 && code === 'insufficient_stock') {
      const { items } = readBody(insufficientStockSchema, answer, 'product', 'reserve');
      throw new OrderError('insufficient_stock', 'Not enough stock for some items.', { items });
    }
    if (answer.status === 422 && code === 'unknown_product') {
      const { productIds } = readBody(unknownProductsSchema, answer, 'product', 'reserve');
      throw new OrderError('unknown_product', 'Some products do not exist.', { productIds });
    }
    if (answer.status !== 200 && answer.status !== 201) {
      throw new PeerRejectionError('product', 'reserve', answer.status, answer.body);
    }
    const { lines } = readBody(reservationSchema, answer, 'product', 'reserve');
    return { lines };
  }

  async commit(orderId: string): Promise<void> {
    const answer = await this.#client.request({
      operation: 'commit',
      method: 'POST',
      path: `/api/v1/reservations/${encodeURIComponent(orderId)}/commit`,
      idempotencyKey: orderId,
      idempotent: true,
    });
    // 409 (released or expired) and 404 are real problems: the order is paid but its stock is not held.
    if (answer.status !== 200) {
      throw new PeerRejectionError('product', 'commit', answer.status, answer.body);
    }
  }

  async release(orderId: string): Promise<void> {
    const answer = await this.#client.request({
      operation: 'release',
      method: 'POST',
      path: `/api/v1/reservations/${encodeURIComponent(orderId)}/release`,
      idempotencyKey: orderId,
      idempotent: true,
    });
    // 404: nothing was ever reserved under this order id, so nothing is held — the goal is reached.
    if (answer.status !== 200 && answer.status !== 404) {
      throw new PeerRejectionError('product', 'release', answer.status, answer.body);
    }
  }
}

function errorCode(body: unknown): unknown {
  return typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
}
