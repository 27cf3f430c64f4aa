import { simulatedProduct, simulatedUnitPrice } from '@mallhive/order-contracts';

/**
 * Stock and reservations of the simulated product service (contract:
 * docs/contracts/product-reservations.openapi.yaml). Products follow the same catalogue rule as the order
 * service's in-process simulation: every id exists with a price derived from the id and ample stock,
 * except `oos-…` (always out of stock) and `unknown-…` (no such product).
 */
type ReservationStatus = 'reserved' | 'committed' | 'released' | 'expired';

interface ReservationLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface Reservation {
  readonly orderId: string;
  readonly currency: string;
  readonly lines: readonly ReservationLine[];
  status: ReservationStatus;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ReserveRequest {
  readonly orderId: string;
  readonly currency: string;
  readonly items: readonly { readonly productId: string; readonly quantity: number }[];
}

export type ReserveResult =
  | { readonly kind: 'created' | 'replayed'; readonly reservation: Reservation }
  | { readonly kind: 'unknown_product'; readonly productIds: string[] }
  | {
      readonly kind: 'insufficient_stock';
      readonly items: { productId: string; requested: number; available: number }[];
    }
  | { readonly kind: 'mismatch' | 'closed'; readonly reservation: Reservation };

export type TransitionResult =
  | { readonly kind: 'ok'; readonly reservation: Reservation }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'conflict'; readonly reservation: Reservation };

export class ReservationBook {
  readonly #reservations = new Map<string, Reservation>();
  /** Units on hand per product, created lazily from the catalogue. */
  readonly #stock = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  reserve(request: ReserveRequest): ReserveResult {
    this.#expireDue();
    const existing = this.#reservations.get(request.orderId);
    if (existing) {
      if (!sameRequest(existing, request)) return { kind: 'mismatch', reservation: existing };
      if (existing.status === 'released' || existing.status === 'expired') {
        return { kind: 'closed', reservation: existing };
      }
      return { kind: 'replayed', reservation: existing };
    }

    const unknown = request.items
      .filter((item) => simulatedProduct(item.productId).kind === 'unknown')
      .map((item) => item.productId);
    if (unknown.length > 0) return { kind: 'unknown_product', productIds: unknown };

    const short = request.items
      .map((item) => ({
        productId: item.productId,
        requested: item.quantity,
        available: this.available(item.productId),
      }))
      .filter((item) => item.available < item.requested);
    if (short.length > 0) return { kind: 'insufficient_stock', items: short };

    for (const item of request.items) {
      this.#stock.set(item.productId, this.available(item.productId) - item.quantity);
    }
    const now = this.#now();
    const reservation: Reservation = {
      orderId: request.orderId,
      currency: request.currency,
      lines: request.items.map((item) => ({
        productId: item.productId,
        quantity: item.quantity,
        unitPrice: simulatedUnitPrice(item.productId, request.currency),
      })),
      status: 'reserved',
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.#ttlMs).toISOString(),
    };
    this.#reservations.set(request.orderId, reservation);
    return { kind: 'created', reservation };
  }

  /** Makes the reservation permanent. Idempotent; refused once released or expired. */
  commit(orderId: string): TransitionResult {
    this.#expireDue();
    const reservation = this.#reservations.get(orderId);
    if (!reservation) return { kind: 'not_found' };
    if (reservation.status === 'released' || reservation.status === 'expired') {
      return { kind: 'conflict', reservation };
    }
    reservation.status = 'committed';
    return { kind: 'ok', reservation };
  }

  /** Returns the stock (also after a commit, e.g. an order cancelled after payment). Idempotent. */
  release(orderId: string): TransitionResult {
    this.#expireDue();
    const reservation = this.#reservations.get(orderId);
    if (!reservation) return { kind: 'not_found' };
    if (reservation.status === 'reserved' || reservation.status === 'committed') {
      this.#restock(reservation);
      reservation.status = 'released';
    }
    return { kind: 'ok', reservation };
  }

  available(productId: string): number {
    const product = simulatedProduct(productId);
    if (product.kind !== 'available') return 0;
    return this.#stock.get(productId) ?? product.stock;
  }

  list(): Reservation[] {
    this.#expireDue();
    return [...this.#reservations.values()];
  }

  #restock(reservation: Reservation): void {
    for (const line of reservation.lines) {
      this.#stock.set(line.productId, this.available(line.productId) + line.quantity);
    }
  }

  #expireDue(): void {
    const now = this.#now();
    for (const reservation of this.#reservations.values()) {
      if (reservation.status === 'reserved' && Date.parse(reservation.expiresAt) <= now) {
        this.#restock(reservation);
        reservation.status = 'expired';
      }
    }
  }
}

function sameRequest(reservation: Reservation, request: ReserveRequest): boolean {
  if (reservation.currency !== request.currency) return false;
  if (reservation.lines.length !== request.items.length) return false;
  return request.items.every((item, index) => {
    const line = reservation.lines[index];
    return line?.productId === item.productId && line.quantity === item.quantity;
  });
}
