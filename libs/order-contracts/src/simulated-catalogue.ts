import { createHash } from 'node:crypto';

/**
 * The simulated product catalogue, documented like a payment provider's test cards (README, "Simulated
 * peers"): every product id exists with a price derived from the id and ample stock, except
 *   - ids starting with `oos-`: always out of stock;
 *   - ids starting with `unknown-`: no such product.
 * Both simulations (the order service's in-process one and apps/peer-simulators) price and stock alike.
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
