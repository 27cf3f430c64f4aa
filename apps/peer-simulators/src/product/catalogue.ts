import { createHash } from 'node:crypto';

/**
 * The simulated catalogue — a copy of the rule in the order service's in-process simulation
 * (apps/order-service/src/adapters/simulated/catalogue.ts), which that package does not export yet; the
 * test next to this file fails the day the two drift apart. Every product id exists with ample stock and
 * a price derived from the id, except `oos-…` (always out of stock) and `unknown-…` (no such product).
 */
export const SIMULATED_STOCK = 1_000_000;

export type SimulatedProduct =
  | { readonly kind: 'available'; readonly stock: number }
  | { readonly kind: 'out_of_stock' }
  | { readonly kind: 'unknown' };

export function simulatedProduct(productId: string): SimulatedProduct {
  if (productId.startsWith('unknown-')) return { kind: 'unknown' };
  if (productId.startsWith('oos-')) return { kind: 'out_of_stock' };
  return { kind: 'available', stock: SIMULATED_STOCK };
}

/** A stable unit price between 1.00 and 100.00 major units, the same for every currency. */
export function simulatedUnitPrice(productId: string, _currency: string): number {
  const digest = createHash('sha256').update(productId).digest();
  return 100 + (digest.readUInt32BE(0) % 9_901);
}
