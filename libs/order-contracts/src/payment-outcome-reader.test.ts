import { describe, expect, it } from 'vitest';
import { readPaymentOutcome } from './payment-outcome-reader.ts';

const outcome = {
  paymentId: 'pay_1',
  orderId: '3f1e4b1a-8f2c-4c1e-9a1b-2c3d4e5f6a7b',
  status: 'failed',
  amount: 2599,
  currency: 'EUR',
  failureReason: 'card_declined',
};

describe('the payment outcome (callback body and payment-results message)', () => {
  it('accepts what the payment service sends', () => {
    expect(readPaymentOutcome(outcome)).toEqual({ valid: true, outcome });
  });

  it('names every field that breaks the contract', () => {
    const result = readPaymentOutcome({
      ...outcome,
      orderId: 'not-a-uuid',
      amount: -1,
      currency: 'eur',
      status: 'pending',
    });
    expect(result.valid).toBe(false);
    const problems = result.valid ? [] : result.problems.join('\n');
    for (const field of ['/orderId', '/amount', '/currency', '/status']) {
      expect(problems).toContain(`${field}: `);
    }
  });

  it('refuses unknown fields and over-long texts instead of applying half of an outcome', () => {
    expect(readPaymentOutcome({ ...outcome, capturedAmount: 100 }).valid).toBe(false);
    expect(readPaymentOutcome({ ...outcome, paymentId: 'p'.repeat(129) }).valid).toBe(false);
    expect(readPaymentOutcome({ ...outcome, failureReason: 'r'.repeat(501) }).valid).toBe(false);
  });

  it('refuses what is not an object at all', () => {
    expect(readPaymentOutcome('succeeded').valid).toBe(false);
    expect(readPaymentOutcome(null).valid).toBe(false);
  });
});
