import { describe, expect, it } from 'vitest';
import type { Operation } from './access-policy.ts';
import { accessTo, decideForOwner, scopesFor, seesPersonalData } from './access-policy.ts';
import type { Caller } from './caller.ts';
import { actorOf, callerKey, idempotencyKeyOf } from './caller.ts';
import { Scope } from '@mallhive/order-contracts';

const caller = (subject: string, scopes: string[], clientId?: string): Caller => ({
  issuer: 'https://issuer.example',
  subject,
  clientId,
  scopes: new Set(scopes),
});
const customer = caller('user-1', [Scope.Customer]);
const reader = caller('reporting', [Scope.Read], 'reporting');
const warehouse = caller('warehouse', [Scope.Fulfil], 'warehouse');
const support = caller('support', [Scope.Support], 'support');

describe('the access policy', () => {
  // What each scope may do, on any order ('any'), only its own ('own'), or not at all ('-').
  const table: Record<
    Operation,
    [customer: string, read: string, fulfil: string, support: string]
  > = {
    place: ['own', '-', '-', '-'],
    read: ['own', 'any', '-', 'any'],
    list: ['own', 'any', '-', '-'],
    cancel: ['own', '-', '-', 'any'],
    fulfil: ['-', '-', 'any', '-'],
    ship: ['-', '-', 'any', '-'],
    deliver: ['-', '-', 'any', '-'],
  };
  const callers = [customer, reader, warehouse, support];

  it.each(Object.entries(table))('%s: customer/read/fulfil/support → %j', (operation, row) => {
    const granted = callers.map((each) => {
      const access = accessTo(each, operation as Operation);
      return access.kind === 'insufficient_scope' ? '-' : access.kind;
    });
    expect(granted).toEqual(row);
  });

  it('names the scopes that would allow a refused operation', () => {
    expect(accessTo(customer, 'ship')).toEqual({
      kind: 'insufficient_scope',
      scopes: [Scope.Fulfil],
    });
    expect(accessTo(warehouse, 'cancel')).toEqual({
      kind: 'insufficient_scope',
      scopes: [Scope.Customer, Scope.Support],
    });
    expect(scopesFor('read')).toEqual([Scope.Customer, Scope.Read, Scope.Support]);
  });

  it("lets a customer act on their own orders, refuses placing or listing for another user, and hides another user's order", () => {
    expect(decideForOwner(customer, 'place', 'user-1')).toBe('allowed');
    expect(decideForOwner(customer, 'place', 'user-2')).toBe('forbidden');
    expect(decideForOwner(customer, 'list', 'user-2')).toBe('forbidden');
    expect(decideForOwner(customer, 'read', 'user-2')).toBe('hidden');
    expect(decideForOwner(customer, 'cancel', 'user-2')).toBe('hidden');
    expect(decideForOwner(customer, 'cancel', 'user-1')).toBe('allowed');
  });

  it('does not hide an order from a caller who may read it anyway', () => {
    const customerAndReader = caller('user-1', [Scope.Customer, Scope.Read]);
    expect(decideForOwner(customerAndReader, 'read', 'user-2')).toBe('allowed');
    expect(decideForOwner(customerAndReader, 'cancel', 'user-2')).toBe('forbidden');
  });

  it('services act on any order their scope covers', () => {
    expect(decideForOwner(support, 'cancel', 'user-2')).toBe('allowed');
    expect(decideForOwner(warehouse, 'ship', 'user-2')).toBe('allowed');
    expect(decideForOwner(reader, 'list', 'user-2')).toBe('allowed');
  });

  it('shows e-mail and address to the owner, fulfilment and support, but not to orders/read alone', () => {
    expect(seesPersonalData(customer, 'user-1')).toBe(true);
    expect(seesPersonalData(customer, 'user-2')).toBe(false);
    expect(seesPersonalData(warehouse, 'user-2')).toBe(true);
    expect(seesPersonalData(support, 'user-2')).toBe(true);
    expect(seesPersonalData(reader, 'user-2')).toBe(false);
    // Being named `sub` is not enough without acting as the customer.
    expect(seesPersonalData(caller('user-1', [Scope.Read]), 'user-1')).toBe(false);
  });
});

describe('the caller', () => {
  it('is recorded as its sub, or as its client id when it is a service', () => {
    expect(actorOf(customer)).toBe('user-1');
    expect(actorOf(caller('user-1', [Scope.Customer], 'web-shop'))).toBe('user-1');
    expect(actorOf(warehouse)).toBe('warehouse');
  });

  it('is one identity per issuer and subject, for rate limits and idempotency keys', () => {
    const elsewhere = { ...customer, issuer: 'https://other.example' };
    expect(callerKey(customer)).not.toBe(callerKey(elsewhere));
    expect(idempotencyKeyOf(customer, 'k-1')).not.toBe(idempotencyKeyOf(elsewhere, 'k-1'));
    expect(idempotencyKeyOf(customer, 'k-1')).not.toBe(
      idempotencyKeyOf(caller('user-2', []), 'k-1'),
    );
    expect(idempotencyKeyOf(customer, 'k-1')).toBe(idempotencyKeyOf(customer, 'k-1'));
  });
});
