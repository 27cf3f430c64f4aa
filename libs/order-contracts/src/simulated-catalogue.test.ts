import { describe, expect, it } from 'vitest';
import { SIMULATED_STOCK, simulatedProduct, simulatedUnitPrice } from './simulated-catalogue.ts';

describe('the simulated catalogue (documented in the README like test cards)', () => {
  it('knows every product id, with ample stock', () => {
    expect(simulatedProduct('sku-anything')).toEqual({ kind: 'available', stock: SIMULATED_STOCK });
  });

  it('has oos-… always out of stock and unknown-… not at all', () => {
    expect(simulatedProduct('oos-lamp')).toEqual({ kind: 'out_of_stock' });
    expect(simulatedProduct('unknown-thing')).toEqual({ kind: 'unknown' });
  });

  it('prices by id alone: stable, between 1.00 and 100.00, the same in every currency', () => {
    const price = simulatedUnitPrice('sku-1', 'EUR');
    expect(price).toBe(simulatedUnitPrice('sku-1', 'USD'));
    expect(price).toBeGreaterThanOrEqual(100);
    expect(price).toBeLessThanOrEqual(10_000);
    expect(
      new Set(['a', 'b', 'c', 'd'].map((id) => simulatedUnitPrice(id, 'EUR'))).size,
    ).toBeGreaterThan(1);
  });
});
