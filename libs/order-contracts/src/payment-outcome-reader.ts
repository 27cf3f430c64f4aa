import { Compile } from 'typebox/compile';
import { PaymentOutcomeSchema, type PaymentOutcome } from './payment-outcome.ts';

/*
 * Apart from the schema, behind its own export (`@mallhive/order-contracts/payment-outcome-reader`):
 * TypeBox's compiler is some 300 modules, and only a consumer of the payment-results topic needs it, not
 * every process that imports the contracts (the order service's start-up, docs/performance.md).
 */
const outcomeValidator = Compile(PaymentOutcomeSchema);

/** Checks a parsed message against the schema; the problems name each offending field. */
export function readPaymentOutcome(
  value: unknown,
): { valid: true; outcome: PaymentOutcome } | { valid: false; problems: string[] } {
  if (outcomeValidator.Check(value)) return { valid: true, outcome: value };
  return {
    valid: false,
    problems: outcomeValidator
      .Errors(value)
      .map((error) => `${error.instancePath || '/'}: ${error.message}`),
  };
}
