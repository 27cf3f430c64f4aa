import { describe, expect, it } from 'vitest';
import { SIMULATED_STOCK } from '@mallhive/order-contracts';
import { ReservationBook } from './reservation-book.ts';

describe('ReservationBook stock accounting', () => {
  it('takes stock on reserve and gives it back on release or expiry', () => {
    let now = 0;
    const book = new ReservationBook(1_000, () => now);
    book.reserve({ orderId: 'o1', currency: 'EUR', items: [{ productId: 'p', quantity: 10 }] });
    book.reserve({ orderId: 'o2', currency: 'EUR', items: [{ productId: 'p', quantity: 5 }] });
    expect(book.available('p')).toBe(SIMULATED_STOCK - 15);

    book.release('o1');
    expect(book.available('p')).toBe(SIMULATED_STOCK - 5);

    now = 1_000;
    expect(book.list().find((r) => r.orderId === 'o2')?.status).toBe('expired');
    expect(book.available('p')).toBe(SIMULATED_STOCK);
  });

  it('refuses more than is on hand, naming what is available', () => {
    const book = new ReservationBook(1_000);
    const result = book.reserve({
      orderId: 'o1',
      currency: 'EUR',
      items: [{ productId: 'p', quantity: SIMULATED_STOCK + 1 }],
    });
    expect(result).toEqual({
      kind: 'insufficient_stock',
      items: [{ productId: 'p', requested: SIMULATED_STOCK + 1, available: SIMULATED_STOCK }],
    });
    expect(book.available('p')).toBe(SIMULATED_STOCK);
  });
});
