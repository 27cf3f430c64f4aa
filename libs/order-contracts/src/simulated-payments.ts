/**
 * How both payment simulations (the order service's in-process one and apps/peer-simulators) decide, like
 * a payment provider's test cards: every payment succeeds, except for users whose id starts with
 *   - `payfail-`: the payment fails (`card_declined`) and the callback says so;
 *   - `paylost-`: the payment is accepted and never decided — no callback, verify keeps saying `pending`.
 */
export type SimulatedPaymentDecision =
  | { readonly status: 'succeeded' }
  | { readonly status: 'failed'; readonly failureReason: string }
  | { readonly status: 'never' };

export function simulatedPaymentDecision(userId: string): SimulatedPaymentDecision {
  if (userId.startsWith('payfail-')) return { status: 'failed', failureReason: 'card_declined' };
  if (userId.startsWith('paylost-')) return { status: 'never' };
  return { status: 'succeeded' };
}
