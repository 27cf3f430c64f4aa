import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Caller } from '../../application/caller.ts';
import { VerifiedTokens } from './verified-tokens.ts';

export interface TokenVerifierOptions {
  /** `iss` must equal this exactly. */
  readonly issuer: string;
  /** The issuer's JWKS; when absent, from its discovery document (or `<issuer>/.well-known/jwks.json`). */
  readonly jwksUrl?: string | undefined;
  /** Accept a token whose `aud` contains this … */
  readonly audience?: string | undefined;
  /** … or whose `client_id` is one of these (Cognito access tokens carry `client_id`, not `aud`). */
  readonly allowedClientIds?: readonly string[];
  /** Clock skew tolerated on `exp` and `nbf`. */
  readonly clockToleranceSeconds?: number;
  /** At most one JWKS refresh per this interval for tokens with an unknown `kid`. */
  readonly refreshCooldownMs?: number;
  /** How long fetched keys count as current. */
  readonly keysMaxAgeMs?: number;
  /** Bound on one fetch of the JWKS or discovery document. */
  readonly fetchTimeoutMs?: number;
  /** Told when the issuer could not be reached and cached keys were used instead. */
  readonly onStaleKeys?: (error: unknown) => void;
  /** How many verified tokens to remember (see `VerifiedTokens`); 0 verifies every request in full. */
  readonly verifiedTokensMax?: number;
  /** The clock for remembered tokens (ms since the epoch); tests move it. */
  readonly now?: () => number;
}

export interface TokenVerifier {
  /** The caller the token speaks for; throws `InvalidTokenError` or `IdentityProviderUnavailableError`. */
  verify(token: string): Promise<Caller>;
}

/** The token is not one this service accepts (401 `unauthenticated`, `error="invalid_token"`). */
export class InvalidTokenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidTokenError';
  }
}

/** The issuer's keys could not be fetched, so no token can be judged (503 `dependency_unavailable`). */
export class IdentityProviderUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The identity provider (JWKS) is unreachable.', { cause });
    this.name = 'IdentityProviderUnavailableError';
  }
}

/** How long fetched keys count as current unless configured otherwise. */
const KEYS_MAX_AGE_MS = 600_000;

/** Asymmetric only: a symmetric or unsigned token could be forged by anyone who saw the public keys. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'] as const;

/**
 * Verifies OAuth 2.0 JWT access tokens against the issuer's JWKS with `jose`. Keys are cached by `kid`
 * (jose's remote key set: an unknown `kid` refreshes at most once per cooldown). A token that verified is
 * remembered until its `exp`, for at most as long as keys count as current (`VerifiedTokens`); a token
 * that failed is judged in full every time.
 *
 * The small wrapper around jose adds what it does not do: tell "the issuer is unreachable" apart from "the
 * token is bad" (503, not 401), and keep verifying with the last keys fetched while the issuer is down,
 * so an identity-provider outage does not take the order API down with it.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const allowedClientIds = new Set(options.allowedClientIds ?? []);
  if (!options.audience && allowedClientIds.size === 0) {
    throw new Error('a token verifier needs an audience or allowed client ids');
  }
  const getKey = keysOf(options);
  const maxTokens = options.verifiedTokensMax ?? 10_000;
  const verified =
    maxTokens > 0
      ? new VerifiedTokens({
          maxTokens,
          maxAgeMs: options.keysMaxAgeMs ?? KEYS_MAX_AGE_MS,
          ...(options.now ? { now: options.now } : {}),
        })
      : undefined;
  return {
    async verify(token) {
      const known = verified?.get(token);
      if (known) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: [...ACCEPTED_ALGORITHMS],
          issuer: options.issuer,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: options.clockToleranceSeconds ?? 60,
          ...(options.now ? { currentDate: new Date(options.now()) } : {}),
        }));
      } catch (error) {
        if (error instanceof IdentityProviderUnavailableError) throw error;
        throw new InvalidTokenError(describe(error), { cause: error });
      }
      const caller = callerOf(payload, options.audience, allowedClientIds);
      // requiredClaims makes jose refuse a token without a numeric exp.
      verified?.remember(token, caller, payload.exp as number);
      return caller;
    },
  };
}

function callerOf(
  payload: JWTPayload,
  audience: string | undefined,
  allowedClientIds: ReadonlySet<string>,
): Caller {
  // Cognito marks its ID tokens `token_use: id`; they say who a user is, not what a client may do.
  if (payload['token_use'] !== undefined && payload['token_use'] !== 'access') {
    throw new InvalidTokenError('not an access token');
  }
  const subject = stringClaim(payload, 'sub');
  if (subject === undefined) throw new InvalidTokenError('the token names no subject (sub)');
  const clientId = stringClaim(payload, 'client_id') ?? stringClaim(payload, 'azp');
  const audiences = payload.aud === undefined ? [] : [payload.aud].flat();
  const audienceMatches = audience !== undefined && audiences.includes(audience);
  const clientAllowed = clientId !== undefined && allowedClientIds.has(clientId);
  if (!audienceMatches && !clientAllowed) {
    throw new InvalidTokenError('the token is not meant for this service (aud / client_id)');
  }
  const scope = payload['scope'];
  const scopes =
    typeof scope === 'string'
      ? scope.split(' ').filter(Boolean)
      : Array.isArray(scope)
        ? scope.filter((item): item is string => typeof item === 'string')
        : [];
  return {
    issuer: payload.iss ?? '',
    subject,
    clientId,
    scopes: new Set(scopes),
  };
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} is wrong`;
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'the token is not signed with RS256 or ES256';
  if (error instanceof errors.JWKSNoMatchingKey)
    return "the issuer has no key with the token's kid";
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not match';
  return 'the token is malformed';
}

/**
 * The key resolver: jose's remote key set, with unreachability made distinct and stale keys as a fallback.
 * After a failed fetch it waits out the cooldown before trying again, so an outage costs one attempt per
 * cooldown rather than one per request.
 */
function keysOf(options: TokenVerifierOptions): JWTVerifyGetKey {
  const cooldownMs = options.refreshCooldownMs ?? 30_000;
  const timeoutMs = options.fetchTimeoutMs ?? 3_000;
  let remote: ReturnType<typeof createRemoteJWKSet> | undefined;
  let resolving: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  let unreachableUntil = 0;
  let stale: { jwks: JSONWebKeySet; keys: ReturnType<typeof createLocalJWKSet> } | undefined;

  const remoteSet = async () => {
    if (remote) return remote;
    resolving ??= jwksUrlOf(options, timeoutMs).then(
      (url) =>
        (remote = createRemoteJWKSet(url, {
          cooldownDuration: cooldownMs,
          cacheMaxAge: options.keysMaxAgeMs ?? KEYS_MAX_AGE_MS,
          timeoutDuration: timeoutMs,
        })),
      (error: unknown) => {
        resolving = undefined;
        throw error;
      },
    );
    return resolving;
  };

  const staleKeys = () => {
    const jwks = remote?.jwks();
    if (!jwks) return undefined;
    if (stale?.jwks !== jwks) stale = { jwks, keys: createLocalJWKSet(jwks) };
    return stale.keys;
  };

  return async (header, token) => {
    if (Date.now() < unreachableUntil) {
      const keys = staleKeys();
      if (keys) return keys(header, token);
    }
    try {
      return await (
        await remoteSet()
      )(header, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys
      ) {
        throw error;
      }
      unreachableUntil = Date.now() + cooldownMs;
      const keys = staleKeys();
      if (!keys) throw new IdentityProviderUnavailableError(error);
      options.onStaleKeys?.(error);
      return keys(header, token);
    }
  };
}

/**
 * `jwksUrl` as configured, else the `jwks_uri` of the issuer's OpenID discovery document, else (no such
 * document) the conventional `<issuer>/.well-known/jwks.json`. An unreachable issuer is not a 404: it
 * fails this attempt and the next request asks again.
 */
async function jwksUrlOf(options: TokenVerifierOptions, timeoutMs: number): Promise<URL> {
  if (options.jwksUrl) return new URL(options.jwksUrl);
  const base = options.issuer.replace(/\/$/, '');
  const response = await fetch(`${base}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/json' },
  });
  if (response.status === 404) return new URL(`${base}/.well-known/jwks.json`);
  if (!response.ok) throw new Error(`discovery document answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') {
    throw new Error('the discovery document has no jwks_uri');
  }
  return new URL(document.jwks_uri);
}
