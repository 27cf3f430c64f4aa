import type { FastifyRequest } from 'fastify';
import type { Operation } from '../application/access-policy.ts';
import { decideForOwner, seesPersonalData } from '../application/access-policy.ts';
import type { Caller } from '../application/caller.ts';
import { OrderError } from '../domain/errors.ts';
import type { Order } from '../domain/order.ts';
import { HttpProblemError } from './http-problem-error.ts';

/** The realm every challenge names (RFC 6750 §3). */
export const REALM = 'order-service';

/** No credentials, or credentials that are not a token this service accepts. */
export function unauthenticated(reason: string, tokenSent: boolean): HttpProblemError {
  const challenge = tokenSent
    ? `Bearer realm="${REALM}", error="invalid_token", error_description="${reason.replaceAll('"', "'")}"`
    : `Bearer realm="${REALM}"`;
  return new HttpProblemError('unauthenticated', reason, {
    headers: { 'www-authenticate': challenge },
  });
}

/** A valid token whose scopes do not allow the operation. */
export function insufficientScope(
  operation: Operation,
  scopes: readonly string[],
): HttpProblemError {
  return new HttpProblemError(
    'forbidden',
    `${operation} needs one of the scopes ${scopes.join(', ')}.`,
    {
      headers: {
        'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scopes.join(' ')}"`,
      },
      details: { requiredScopes: scopes },
    },
  );
}

/** The verified caller of an authenticated route. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('route is not behind the authentication plugin');
  return request.caller;
}

/**
 * Refuses unless the caller may do `operation` for the orders of `ownerUserId`: 403 for placing or
 * listing for someone else, 404 for someone else's order addressed by id (its existence is not disclosed).
 */
export function assertMayActFor(
  request: FastifyRequest,
  operation: Operation,
  ownerUserId: string,
  orderId?: string,
): void {
  switch (decideForOwner(callerOf(request), operation, ownerUserId)) {
    case 'allowed':
      return;
    case 'forbidden':
      throw new HttpProblemError(
        'forbidden',
        orderId === undefined
          ? `You may not ${operation} orders of user ${ownerUserId}.`
          : `You may not ${operation} order ${orderId}.`,
      );
    case 'hidden':
      throw new OrderError('order_not_found', `Order ${orderId ?? ''} does not exist.`);
  }
}

/** Whether this caller may see the order's customer e-mail and shipping address. */
export const showsPersonalData = (request: FastifyRequest, order: Pick<Order, 'userId'>) =>
  seesPersonalData(callerOf(request), order.userId);
