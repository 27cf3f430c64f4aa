import { createPublicKey } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { SignJWT, UnsecuredJWT } from 'jose';
import type { AccessTokenClaims, SigningKey } from '../adapters/identity/local-issuer.ts';
import { LocalIssuer, mintAccessToken, newSigningKey } from '../adapters/identity/local-issuer.ts';
import { Scope } from '@mallhive/order-contracts';

/** The audience and client ids the tests configure the service with. */
export const TEST_AUDIENCE = 'order-service';
export const TEST_CLIENT_IDS = ['warehouse-client', 'support-client'] as const;

/** Service settings that make the service trust `issuer` (AUTH_* environment). */
export function authEnvironment(issuer: TestIssuer): Record<string, string> {
  return {
    AUTH_ISSUER: issuer.issuer,
    AUTH_JWKS_URL: issuer.jwksUrl,
    AUTH_AUDIENCE: TEST_AUDIENCE,
    AUTH_ALLOWED_CLIENT_IDS: TEST_CLIENT_IDS.join(','),
  };
}

/** Every way a token can be wrong that the service must refuse with 401. */
export const hostileTokenKinds = [
  'expired',
  'wrong issuer',
  'wrong audience',
  'alg none',
  'HS256 signed with the public key',
  'unknown kid',
  'tampered payload',
] as const;
export type HostileTokenKind = (typeof hostileTokenKinds)[number];

/**
 * A real issuer for tests: RS256 and ES256 keys, a JWKS on a loopback port, and tokens both good and
 * hostile. Nothing in the service is stubbed: it fetches this JWKS and verifies as in production.
 */
export class TestIssuer {
  private readonly local: LocalIssuer;
  /** A key the JWKS does not publish. */
  private readonly strayKey: SigningKey;

  private constructor(local: LocalIssuer, strayKey: SigningKey) {
    this.local = local;
    this.strayKey = strayKey;
  }

  static async start(): Promise<TestIssuer> {
    const [rsa, ec, stray] = await Promise.all([
      newSigningKey('RS256', 'test-rsa-1'),
      newSigningKey('ES256', 'test-ec-1'),
      newSigningKey('RS256', 'test-stray'),
    ]);
    const clients = {
      'warehouse-client': { secret: 'warehouse-secret', scopes: [Scope.Fulfil, Scope.Read] },
      'support-client': { secret: 'support-secret', scopes: [Scope.Support, Scope.Read] },
    };
    return new TestIssuer(await LocalIssuer.start({ keys: [rsa, ec], clients }), stray);
  }

  get issuer(): string {
    return this.local.issuer;
  }

  get jwksUrl(): string {
    return this.local.jwksUrl;
  }

  /** Client-credentials grant for `warehouse-client`/`warehouse-secret` and `support-client`/`support-secret`. */
  get tokenUrl(): string {
    return this.local.tokenUrl;
  }

  /** The underlying issuer: its JWKS fetch count, and `failWith` to make the JWKS endpoint fail. */
  get server(): LocalIssuer {
    return this.local;
  }

  /** A valid token with the service's audience (RS256 unless `alg` says ES256). */
  token(claims: AccessTokenClaims, alg: 'RS256' | 'ES256' = 'RS256'): Promise<string> {
    return this.local.mint({ aud: TEST_AUDIENCE, ...claims }, this.key(alg));
  }

  /** A customer acting as `userId`. */
  customer(userId: string): Promise<string> {
    return this.token({ sub: userId, scope: Scope.Customer });
  }

  /** A client-credentials token as Cognito issues it: `sub` = `client_id`, no `aud`. */
  service(clientId: (typeof TEST_CLIENT_IDS)[number], ...scopes: Scope[]): Promise<string> {
    return this.local.mint(
      { sub: clientId, client_id: clientId, scope: scopes.join(' '), token_use: 'access' },
      this.key('ES256'),
    );
  }

  /** A token that must be refused, of the given kind, otherwise carrying `claims`. */
  async hostile(kind: HostileTokenKind, claims: AccessTokenClaims): Promise<string> {
    const rsa = this.key('RS256');
    const good = { aud: TEST_AUDIENCE, ...claims };
    switch (kind) {
      case 'expired':
        // Beyond the 60 s clock tolerance.
        return this.local.mint({ ...good, iat: now() - 3600, exp: now() - 120 }, rsa);
      case 'wrong issuer':
        return mintAccessToken('https://impostor.example', good, rsa);
      case 'wrong audience':
        return this.local.mint({ ...good, aud: 'some-other-service' }, rsa);
      case 'alg none':
        return new UnsecuredJWT({ ...good, exp: now() + 3600 } as JWTPayload)
          .setIssuer(this.issuer)
          .encode();
      case 'HS256 signed with the public key': {
        // The classic confusion attack: a verifier that lets the token pick the algorithm would use
        // the (public) RSA key as an HMAC secret.
        const pem = createPublicKey({ key: rsa.publicJwk, format: 'jwk' })
          .export({ type: 'spki', format: 'pem' })
          .toString();
        return new SignJWT({ ...good, exp: now() + 3600 } as JWTPayload)
          .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
          .setIssuer(this.issuer)
          .sign(new TextEncoder().encode(pem));
      }
      case 'unknown kid':
        return this.local.mint(good, this.strayKey);
      case 'tampered payload': {
        // A genuine token whose payload was rewritten afterwards (scopes widened), signature kept.
        const [header, , signature] = (await this.local.mint(good, rsa)).split('.');
        const forged = Buffer.from(
          JSON.stringify({ ...good, iss: this.issuer, exp: now() + 3600, scope: allScopes() }),
        ).toString('base64url');
        return `${header}.${forged}.${signature}`;
      }
    }
  }

  close(): Promise<void> {
    return this.local.close();
  }

  private key(alg: 'RS256' | 'ES256'): SigningKey {
    const key = this.local.keys.find((candidate) => candidate.alg === alg);
    if (!key) throw new Error(`no ${alg} key`);
    return key;
  }
}

const now = () => Math.floor(Date.now() / 1000);
const allScopes = () => Object.values(Scope).join(' ');
