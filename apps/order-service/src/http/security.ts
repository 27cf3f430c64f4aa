import type { Operation } from '../application/access-policy.ts';
import { scopesFor } from '../application/access-policy.ts';

/** Names of the OpenAPI security schemes (declared in plugins/openapi.ts). */
export const BEARER_SCHEME = 'bearerToken';
export const CLIENT_CREDENTIALS_SCHEME = 'clientCredentials';

/**
 * An operation's OpenAPI security requirement, from the same access policy that enforces it: a bearer
 * JWT, or (equivalently) an OAuth 2.0 token with one of the scopes that allow the operation.
 */
export function securedBy(operation: Operation): {
  security: { [scheme: string]: readonly string[] }[];
  description: string;
} {
  const scopes = scopesFor(operation);
  return {
    security: [{ [BEARER_SCHEME]: [] }, { [CLIENT_CREDENTIALS_SCHEME]: scopes }],
    description: `Needs a bearer token with one of the scopes ${scopes.join(', ')}.`,
  };
}
