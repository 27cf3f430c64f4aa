import { OrderError } from '../../domain/errors.ts';
import type { InventoryPort, Reservation, ReservationRequest } from '../../application/ports.ts';
import { simulatedProduct, simulatedUnitPrice } from '@mallhive/order-contracts';
import { pause } from './pause.ts';

export type ReservationState = 'reserved' | 'committed' | 'released';

/** In-process stand-in for the product service's stock reservations (see catalogue.ts). */
export class SimulatedInventory implements InventoryPort {
  /** What happened to each order's reservation, for tests and the dev console. */
  readonly reservations = new Map<string, ReservationState>();
  private readonly latencyMs: number;

  constructor(options: { latencyMs?: number } = {}) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  async reserve(request: ReservationRequest): Promise<Reservation> {
    await pause(this.latencyMs);
    const products = request.items.map((item) => ({
      ...item,
      product: simulatedProduct(item.productId),
    }));
    const unknown = products.filter((item) => item.product.kind === 'unknown');
    if (unknown.length > 0) {
      const productIds = unknown.map((item) => item.productId);
      throw new OrderError('unknown_product', `Unknown products: ${productIds.join(', ')}.`, {
        productIds,
      });
    }
    const short = products.filter((item) => item.product.kind === 'out_of_stock');
    if (short.length > 0) {
      const items = short.map((item) => ({
        productId: item.productId,
        requested: item.quantity,
        available: 0,
      }));
      throw new OrderError('insufficient_stock', 'Not enough stock for some items.', { items });
    }
    this.reservations.set(request.orderId, 'reserved');
    return {
      lines: request.items.map((item) => ({
        productId: item.productId,
        quantity: item.quantity,
        unitPrice: simulatedUnitPrice(item.productId, request.currency),
      })),
    };
  }

  async commit(orderId: string): Promise<void> {
    await pause(this.latencyMs);
    this.reservations.set(orderId, 'committed');
  }

  async release(orderId: string): Promise<void> {
    await pause(this.latencyMs);
    this.reservations.set(orderId, 'released');
  }
}
