import { describe, expect, it } from 'vitest';
import type * as Catalogue from './catalogue.ts';
import { SIMULATED_STOCK, simulatedProduct, simulatedUnitPrice } from './catalogue.ts';

// Loaded by URL: a static import across projects is refused by the TypeScript build.
const inProcessCatalogue = new URL(
  '../../../order-service/src/adapters/simulated/catalogue.ts',
  import.meta.url,
);
const inProcess = (await import(inProcessCatalogue.href)) as typeof Catalogue;

describe('the simulated catalogue', () => {
  it('prices and stocks every product exactly like the order service’s in-process simulation', () => {
    const ids = [
      'sku-1',
      'book-42',
      'oos-lamp',
      'unknown-thing',
      'x',
      'a-very-long-product-id-123',
    ];
    for (const id of ids) {
      expect(simulatedUnitPrice(id, 'EUR')).toBe(inProcess.simulatedUnitPrice(id, 'EUR'));
      expect(simulatedProduct(id)).toEqual(inProcess.simulatedProduct(id));
    }
    expect(SIMULATED_STOCK).toBe(inProcess.SIMULATED_STOCK);
  });

  it('gives a stable price between 1.00 and 100.00 major units', () => {
    const price = simulatedUnitPrice('sku-1', 'EUR');
    expect(price).toBe(simulatedUnitPrice('sku-1', 'USD'));
    expect(price).toBeGreaterThanOrEqual(100);
    expect(price).toBeLessThanOrEqual(10_000);
  });
});
