import { decodeJwt } from 'jose';
import type { TokenVerifier } from '../../src/adapters/identity/token-verifier.ts';

/**
 * The benchmark's control arm, never used by the service: reads the caller from the token's claims
 * without checking signature, issuer, audience or lifetime. Against the real verifier, in the same run,
 * it isolates what verification costs; everything else (authorization, rate limits, caller-scoped keys)
 * runs alike in both arms.
 */
export const claimsOnlyVerifier: TokenVerifier = {
  async verify(token) {
    const claims = decodeJwt(token);
    const scope = typeof claims['scope'] === 'string' ? claims['scope'] : '';
    return {
      issuer: claims.iss ?? '',
      subject: claims.sub ?? '',
      clientId: typeof claims['client_id'] === 'string' ? claims['client_id'] : undefined,
      scopes: new Set(scope.split(' ').filter(Boolean)),
    };
  },
};
