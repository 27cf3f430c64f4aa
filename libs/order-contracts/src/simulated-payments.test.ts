import { describe, expect, it } from 'vitest';
import { simulatedPaymentDecision } from './simulated-payments.ts';

describe('the simulated payment rule (documented in the README like test cards)', () => {
  it('lets every payment succeed, fails payfail-… users and never decides for paylost-… users', () => {
    expect(simulatedPaymentDecision('user-42')).toEqual({ status: 'succeeded' });
    expect(simulatedPaymentDecision('payfail-ada')).toEqual({
      status: 'failed',
      failureReason: 'card_declined',
    });
    expect(simulatedPaymentDecision('paylost-ada')).toEqual({ status: 'never' });
  });
});
