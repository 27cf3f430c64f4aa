import type { Caller } from './caller.ts';
import { Scope } from '@mallhive/order-contracts';

/**
 * Who may do what to an order: pure decisions on a verified caller, no I/O. The HTTP layer turns a
 * refusal into 403 (or, where existence must not be disclosed, 404).
 */
export type Operation = 'place' | 'read' | 'list' | 'cancel' | 'fulfil' | 'ship' | 'deliver';

/** Scopes that allow an operation on any user's orders. */
const onAnyOrder: Readonly<Record<Operation, readonly Scope[]>> = {
  place: [],
  read: [Scope.Read, Scope.Support],
  list: [Scope.Read],
  cancel: [Scope.Support],
  fulfil: [Scope.Fulfil],
  ship: [Scope.Fulfil],
  deliver: [Scope.Fulfil],
};

/** Operations a customer may do on their own orders (`orders/customer`, user = `sub`). */
const onOwnOrders: Readonly<Record<Operation, boolean>> = {
  place: true,
  read: true,
  list: true,
  cancel: true,
  fulfil: false,
  ship: false,
  deliver: false,
};

export type Access =
  /** Allowed whoever owns the order. */
  | { readonly kind: 'any' }
  /** Allowed only on the caller's own orders: check the owner once it is known. */
  | { readonly kind: 'own' }
  /** No scope of the caller allows it; `scopes` are those that would. */
  | { readonly kind: 'insufficient_scope'; readonly scopes: readonly Scope[] };

/** The scopes any one of which allows `operation` (on some order). */
export function scopesFor(operation: Operation): readonly Scope[] {
  return onOwnOrders[operation]
    ? [Scope.Customer, ...onAnyOrder[operation]]
    : onAnyOrder[operation];
}

/** What the caller's scopes allow for `operation`, before looking at any order. */
export function accessTo(caller: Caller, operation: Operation): Access {
  if (onAnyOrder[operation].some((scope) => caller.scopes.has(scope))) return { kind: 'any' };
  if (onOwnOrders[operation] && caller.scopes.has(Scope.Customer)) return { kind: 'own' };
  return { kind: 'insufficient_scope', scopes: scopesFor(operation) };
}

export type OwnerDecision =
  | 'allowed'
  /** The caller may know the order exists but not do this to it. */
  | 'forbidden'
  /** Answer as if the order did not exist: a customer must not learn which ids others' orders have. */
  | 'hidden';

/**
 * Whether the caller may do `operation` to (or for) the orders of user `ownerUserId`. Placing and listing
 * name the user in the request, so refusing them discloses nothing ('forbidden'); an order addressed by
 * id is 'hidden' unless the caller may read it anyway.
 */
export function decideForOwner(
  caller: Caller,
  operation: Operation,
  ownerUserId: string,
): OwnerDecision {
  const access = accessTo(caller, operation);
  if (access.kind === 'any') return 'allowed';
  if (access.kind === 'insufficient_scope') return 'forbidden';
  if (caller.subject === ownerUserId) return 'allowed';
  if (operation === 'place' || operation === 'list') return 'forbidden';
  return accessTo(caller, 'read').kind === 'any' ? 'forbidden' : 'hidden';
}

/**
 * Customer e-mail and shipping address are shown to the customer, and to the services that need them
 * (fulfilment ships to the address, support contacts the customer); `orders/read` alone sees them redacted.
 */
export function seesPersonalData(caller: Caller, ownerUserId: string): boolean {
  return (
    caller.scopes.has(Scope.Fulfil) ||
    caller.scopes.has(Scope.Support) ||
    ownsAs(caller, ownerUserId)
  );
}

const ownsAs = (caller: Caller, ownerUserId: string) =>
  caller.scopes.has(Scope.Customer) && caller.subject === ownerUserId;
