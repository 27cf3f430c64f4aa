import type { Scope } from '@mallhive/order-contracts';

/** Who is calling, as a verified access token says. */
export interface Caller {
  /** `iss`: the identity provider that vouches for the caller. */
  readonly issuer: string;
  /** `sub`: the user (or, for a client-credentials token, the client) the token was issued for. */
  readonly subject: string;
  /** `client_id` (or `azp`): the application that obtained the token, when the token names it. */
  readonly clientId: string | undefined;
  readonly scopes: ReadonlySet<Scope | string>;
}

/**
 * A client-credentials token speaks for a service, not a user: its subject is the client itself
 * (Cognito sets `sub` to the client id).
 */
export const isServiceCaller = (caller: Caller): boolean =>
  caller.clientId !== undefined && caller.subject === caller.clientId;

/** What the status history records as the actor of a change the caller made. */
export const actorOf = (caller: Caller): string =>
  isServiceCaller(caller) ? (caller.clientId ?? caller.subject) : caller.subject;

/**
 * One identity across issuers: `sub` is unique only within its issuer, so anything kept per caller (rate
 * limits, idempotency keys) is keyed by both.
 */
export const callerKey = (caller: Pick<Caller, 'issuer' | 'subject'>): string =>
  JSON.stringify([caller.issuer, caller.subject]);

/** An Idempotency-Key as stored: the same key from two callers names two different requests. */
export const idempotencyKeyOf = (caller: Caller, key: string): string =>
  JSON.stringify([caller.issuer, caller.subject, key]);
