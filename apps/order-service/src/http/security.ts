import type { Operation } from '../application/access-policy.ts';
import { scopesFor } from '../application/access-policy.ts';

/** Names of the OpenAPI security schemes (declared in plugins/openapi.ts). */
export const BEARER_SCHEME = 'bearerToken';
export const CLIENT_CREDENTIALS_SCHEME = 'clientCredentials';

/**
 * An operation's OpenAPI security requirement, from the same access policy that enforces it: a bearer
 * JWT, or (equivalently) an OAuth 2.0 token with one of the scopes that allow the operation.
 */
export function securedBy(
  operation: Operation,
  description?: string,
): {
  security: { [scheme: string]: readonly string[] }[];
  description: string;
} {
  const scopes = scopesFor(operation);
  const needs = `Needs a bearer token with one of the scopes ${scopes.join(', ')}.`;
  return {
    security: [{ [BEARER_SCHEME]: [] }, { [CLIENT_CREDENTIALS_SCHEME]: scopes }],
    description: description ? `${description} ${needs}` : needs,
  };
}

/** What any secured route may answer before it looks at the request's meaning. */
export const authProblems = ['unauthenticated', 'forbidden', 'rate_limited'] as const;
