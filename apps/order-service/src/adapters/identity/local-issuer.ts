import { once } from 'node:events';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { CryptoKey, JSONWebKeySet, JWK, JWTPayload } from 'jose';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';

/** A signing key with the `kid` and `alg` it is published under. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface AccessTokenClaims {
  /** The user, or for a service token the client id. */
  readonly sub: string;
  readonly scope: string;
  readonly aud?: string | readonly string[];
  readonly client_id?: string;
  /** Lifetime in seconds (default one hour). */
  readonly ttlSeconds?: number;
  readonly [claim: string]: unknown;
}

/** A confidential client of the token endpoint (client-credentials grant). */
export interface LocalClient {
  readonly secret: string;
  readonly scopes: readonly string[];
}

/**
 * An OAuth issuer in miniature: signing keys, a JWKS served over real HTTP on loopback (with the OpenID
 * discovery document), a client-credentials token endpoint, and token minting. The development issuer and the tests' issuer are built on it,
 * so the service verifies their tokens exactly as it verifies the real identity provider's.
 */
export class LocalIssuer {
  readonly keys: readonly SigningKey[];
  /** The JWKS as served; tests may change it (key rotation) or make the endpoint fail. */
  jwks: JSONWebKeySet;
  /** When set, the JWKS endpoint answers with this status instead of the keys. */
  failWith: number | undefined;
  /** How many times the JWKS was fetched. */
  jwksFetches = 0;
  /** Whether it serves an OpenID discovery document (some issuers publish only the JWKS). */
  servesDiscovery = true;

  private readonly server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/.well-known/openid-configuration' && this.servesDiscovery) {
      return sendJson(response, 200, {
        issuer: this.issuer,
        jwks_uri: this.jwksUrl,
        token_endpoint: this.tokenUrl,
        grant_types_supported: ['client_credentials'],
      });
    }
    if (path === '/oauth2/token' && request.method === 'POST') {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        this.clientCredentialsGrant(request.headers.authorization, new URLSearchParams(body)).then(
          ({ status, answer }) => sendJson(response, status, answer),
          () => sendJson(response, 500, { error: 'server_error' }),
        );
      });
      return;
    }
    if (path === '/.well-known/jwks.json') {
      this.jwksFetches += 1;
      if (this.failWith !== undefined) return sendJson(response, this.failWith, { error: 'down' });
      return sendJson(response, 200, this.jwks);
    }
    return sendJson(response, 404, { error: 'not found' });
  });
  private address = '';
  private readonly fixedIssuer: string | undefined;
  private readonly clients: Readonly<Record<string, LocalClient>>;

  private constructor(
    issuer: string | undefined,
    keys: readonly SigningKey[],
    clients: Readonly<Record<string, LocalClient>>,
  ) {
    this.fixedIssuer = issuer;
    this.keys = keys;
    this.clients = clients;
    this.jwks = { keys: keys.map((key) => key.publicJwk) };
  }

  /**
   * Listens on 127.0.0.1. Without `issuer`, the issuer identifier is the server's
   * own URL, so discovery works as with a real provider.
   */
  static async start(options: {
    keys: readonly SigningKey[];
    issuer?: string;
    clients?: Readonly<Record<string, LocalClient>>;
    /** Default 0: any free port. */
    port?: number;
  }) {
    const issuer = new LocalIssuer(options.issuer, options.keys, options.clients ?? {});
    issuer.server.listen(options.port ?? 0, '127.0.0.1');
    await once(issuer.server, 'listening');
    const address = issuer.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port assigned');
    issuer.address = `http://127.0.0.1:${address.port}`;
    return issuer;
  }

  /** The `iss` of its tokens. */
  get issuer(): string {
    return this.fixedIssuer ?? this.address;
  }

  /** Where it listens, `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.address;
  }

  get jwksUrl(): string {
    return `${this.address}/.well-known/jwks.json`;
  }

  /** The OAuth 2.0 token endpoint (client-credentials grant). */
  get tokenUrl(): string {
    return `${this.address}/oauth2/token`;
  }

  /** A signed access token from this issuer, with the first key unless `key` says otherwise. */
  async mint(claims: AccessTokenClaims, key: SigningKey = this.keys[0]!): Promise<string> {
    return mintAccessToken(this.issuer, claims, key);
  }

  /**
   * RFC 6749 §4.4, as Cognito answers it: client authentication by HTTP Basic (or form fields), the
   * requested scopes (default: all the client has), a token with `sub` = `client_id` and no `aud`.
   */
  private async clientCredentialsGrant(authorization: string | undefined, form: URLSearchParams) {
    const [basicId, basicSecret] = authorization?.startsWith('Basic ')
      ? Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':')
      : [];
    const clientId = decodeURIComponent(basicId ?? form.get('client_id') ?? '');
    const secret = decodeURIComponent(basicSecret ?? form.get('client_secret') ?? '');
    const client = this.clients[clientId];
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, answer: { error: 'unsupported_grant_type' } };
    }
    if (!client || client.secret !== secret) {
      return { status: 401, answer: { error: 'invalid_client' } };
    }
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (requested.some((scope) => !client.scopes.includes(scope))) {
      return { status: 400, answer: { error: 'invalid_scope' } };
    }
    const scope = (requested.length > 0 ? requested : client.scopes).join(' ');
    const ttlSeconds = 3600;
    const token = await this.mint({
      sub: clientId,
      client_id: clientId,
      scope,
      token_use: 'access',
      ttlSeconds,
    });
    return {
      status: 200,
      answer: { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds },
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}

/** Signs an access token: `iss`, `iat`, `exp`, a `jti`, and the given claims. */
export async function mintAccessToken(
  issuer: string,
  { ttlSeconds = 3600, ...claims }: AccessTokenClaims,
  key: SigningKey,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iat: now, exp: now + ttlSeconds, ...claims } as JWTPayload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}

/** A fresh key pair; `extractable` so the development issuer can keep it on disk. */
export async function newSigningKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: await publicJwkOf(publicKey, alg, kid) };
}

/** The private key as a JWK (with `kid` and `alg`), for storage. */
export async function exportSigningKey(key: SigningKey): Promise<JWK> {
  return { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: key.alg };
}

/** A stored private JWK back to a signing key (the public half derived from it). */
export async function importSigningKey(jwk: JWK): Promise<SigningKey> {
  const { kid } = jwk;
  const alg = (['RS256', 'ES256'] as const).find((accepted) => accepted === jwk.alg);
  if (typeof kid !== 'string' || alg === undefined) {
    throw new Error('a stored signing key needs kid and alg RS256 or ES256');
  }
  const privateKey = (await importJWK(jwk, alg, { extractable: true })) as CryptoKey;
  // The public half, derived from the private JWK.
  const publicJwk = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({
    format: 'jwk',
  }) as JWK;
  return { kid, alg, privateKey, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
}

async function publicJwkOf(publicKey: CryptoKey, alg: string, kid: string): Promise<JWK> {
  return { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
