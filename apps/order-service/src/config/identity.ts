import {
  DEVELOPMENT_AUDIENCE,
  DEVELOPMENT_CLIENTS,
  DEVELOPMENT_ISSUER,
  DEVELOPMENT_ISSUER_DIR,
  DEVELOPMENT_ISSUER_PORT,
} from '../adapters/identity/development-issuer.ts';
import { configPart } from './part.ts';
import { duration, httpUrl, integer, optionalText } from './variables.ts';

/** Whose access tokens the service accepts. */
export type IdentityConfig =
  | {
      /** No AUTH_ISSUER outside production: the embedded development issuer (keys under `keyDir`). */
      readonly kind: 'development';
      readonly keyDir: string;
      /** Its JWKS and token endpoint listen on 127.0.0.1 here (0: any free port). */
      readonly port: number;
      readonly audience: string;
      readonly allowedClientIds: readonly string[];
      /** AUTH_CLIENT_CREDENTIALS_URL, when the OpenAPI document should name another token endpoint. */
      readonly tokenUrl?: string;
    }
  | {
      readonly kind: 'issuer';
      readonly issuer: string;
      /** Unset: from the issuer's discovery document, or `<issuer>/.well-known/jwks.json`. */
      readonly jwksUrl: string | undefined;
      readonly audience: string | undefined;
      readonly allowedClientIds: readonly string[];
      /** For the OpenAPI document's client-credentials flow (default `<issuer>/oauth2/token`). */
      readonly tokenUrl: string;
    };

/** Requests per window and caller; counters are per process. */
export interface RateLimits {
  /** For one user (tokens acting for a `sub` that is not the client itself). */
  readonly userMax: number;
  /** For one service (client-credentials tokens). */
  readonly serviceMax: number;
  readonly windowMs: number;
}

/** Who may call: the identity provider whose tokens are accepted, and per-caller rate limits. */
export const identity = configPart({
  variables: {
    AUTH_ISSUER: httpUrl.optional(),
    AUTH_JWKS_URL: httpUrl.optional(),
    AUTH_AUDIENCE: optionalText,
    AUTH_ALLOWED_CLIENT_IDS: optionalText,
    AUTH_CLIENT_CREDENTIALS_URL: httpUrl.optional(),
    DEV_ISSUER_DIR: optionalText,
    DEV_ISSUER_PORT: integer(0, 65_535).default(DEVELOPMENT_ISSUER_PORT),
    RATE_LIMIT_WINDOW: duration.default(60_000),
    RATE_LIMIT_USER_MAX: integer(1, 1_000_000).default(300),
    RATE_LIMIT_SERVICE_MAX: integer(1, 10_000_000).default(6_000),
  },
  build(env, problems, { production }) {
    const allowedClientIds = (env.AUTH_ALLOWED_CLIENT_IDS ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const rateLimits: RateLimits = {
      userMax: env.RATE_LIMIT_USER_MAX,
      serviceMax: env.RATE_LIMIT_SERVICE_MAX,
      windowMs: env.RATE_LIMIT_WINDOW,
    };
    if (!env.AUTH_ISSUER) {
      problems.require('AUTH_ISSUER', !production);
      if (env.AUTH_JWKS_URL) problems.add('AUTH_JWKS_URL', 'set AUTH_ISSUER too');
      const development: IdentityConfig = {
        kind: 'development',
        keyDir: env.DEV_ISSUER_DIR ?? DEVELOPMENT_ISSUER_DIR,
        port: env.DEV_ISSUER_PORT,
        audience: env.AUTH_AUDIENCE ?? DEVELOPMENT_AUDIENCE,
        allowedClientIds:
          allowedClientIds.length > 0 ? allowedClientIds : Object.keys(DEVELOPMENT_CLIENTS),
        ...(env.AUTH_CLIENT_CREDENTIALS_URL ? { tokenUrl: env.AUTH_CLIENT_CREDENTIALS_URL } : {}),
      };
      return { identity: development, rateLimits };
    }
    if (production && env.AUTH_ISSUER === DEVELOPMENT_ISSUER) {
      problems.add('AUTH_ISSUER', 'the development issuer is not accepted in production');
    }
    if (!env.AUTH_AUDIENCE && allowedClientIds.length === 0) {
      problems.add(
        'AUTH_AUDIENCE',
        'set AUTH_AUDIENCE or AUTH_ALLOWED_CLIENT_IDS (or both), so tokens meant for other services are refused',
      );
    }
    const issuer: IdentityConfig = {
      kind: 'issuer',
      issuer: env.AUTH_ISSUER,
      jwksUrl: env.AUTH_JWKS_URL,
      audience: env.AUTH_AUDIENCE,
      allowedClientIds,
      tokenUrl:
        env.AUTH_CLIENT_CREDENTIALS_URL ?? `${env.AUTH_ISSUER.replace(/\/$/, '')}/oauth2/token`,
    };
    return { identity: issuer, rateLimits };
  },
});
