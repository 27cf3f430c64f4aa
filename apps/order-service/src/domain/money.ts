/**
 * Money as integer minor units (cents) with an ISO 4217 currency: no floating point ever touches a price.
 */
export interface Money {
  readonly amount: number;
  readonly currency: string;
}

/** Minor-unit exponents that differ from the usual 2 (ISO 4217). */
const exponents: Readonly<Record<string, number>> = {
  BHD: 3,
  CLP: 0,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  OMR: 3,
  TND: 3,
  UGX: 0,
  VND: 0,
  XAF: 0,
  XOF: 0,
};

function minorUnitExponent(currency: string): number {
  return exponents[currency] ?? 2;
}

export function multiply(unitAmount: number, quantity: number): number {
  const result = unitAmount * quantity;
  if (!Number.isSafeInteger(result)) throw new RangeError('amount exceeds the safe integer range');
  return result;
}

export function sum(amounts: readonly number[]): number {
  const result = amounts.reduce((total, amount) => total + amount, 0);
  if (!Number.isSafeInteger(result)) throw new RangeError('amount exceeds the safe integer range');
  return result;
}

/** Major units (e.g. 12.34) for peers whose contracts speak decimals, such as analytics. */
export function toMajorUnits(money: Money): number {
  return money.amount / 10 ** minorUnitExponent(money.currency);
}
