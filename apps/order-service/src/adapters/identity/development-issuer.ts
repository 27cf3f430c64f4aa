import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JWK } from 'jose';
import { Scope } from '@mallhive/order-contracts';
import type { LocalClient, SigningKey } from './local-issuer.ts';
import { exportSigningKey, importSigningKey, LocalIssuer, newSigningKey } from './local-issuer.ts';

/**
 * The identity provider of a laptop: when no `AUTH_ISSUER` is configured outside production, the service
 * starts this issuer and verifies its tokens through the same JWKS path as a real provider's. Its `iss`
 * is a reserved `.invalid` name, which production refuses.
 */
export const DEVELOPMENT_ISSUER = 'https://development-issuer.order-service.invalid';
/** The `aud` of development tokens and the service's audience when none is configured. */
export const DEVELOPMENT_AUDIENCE = 'order-service';
/** Where the key pair is kept: `apps/order-service/.data/dev-issuer`, wherever the command runs from. */
export const DEVELOPMENT_ISSUER_DIR = fileURLToPath(
  new URL('../../../.data/dev-issuer', import.meta.url),
);

/**
 * Client-credentials clients of the development issuer (public knowledge, like every development key), so
 * Swagger UI and the simulators can obtain service tokens the way Cognito's app clients do.
 */
export const DEVELOPMENT_CLIENTS: Readonly<Record<string, LocalClient>> = {
  'dev-warehouse': { secret: 'dev-warehouse-secret', scopes: [Scope.Fulfil, Scope.Read] },
  'dev-support': { secret: 'dev-support-secret', scopes: [Scope.Support, Scope.Read] },
};

const KEY_FILE = 'signing-key.json';

/** The development issuer's port (token endpoint `http://127.0.0.1:4299/oauth2/token`). */
export const DEVELOPMENT_ISSUER_PORT = 4299;

/** Starts the development issuer with its kept key (made on first use) on 127.0.0.1:`port`. */
export async function startDevelopmentIssuer(dir: string, port: number): Promise<LocalIssuer> {
  return LocalIssuer.start({
    keys: [await developmentKey(dir)],
    issuer: DEVELOPMENT_ISSUER,
    clients: DEVELOPMENT_CLIENTS,
    port,
  });
}

/**
 * The development signing key from `dir`, generated and stored (owner-only) on first use, so tokens
 * minted by the CLI stay valid across restarts of the service.
 */
export async function developmentKey(dir: string): Promise<SigningKey> {
  const file = join(dir, KEY_FILE);
  const stored = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (stored !== undefined) return importSigningKey(JSON.parse(stored) as JWK);

  const key = await newSigningKey('ES256', `dev-${Date.now().toString(36)}`);
  await mkdir(dir, { recursive: true });
  try {
    // `wx`: if the service and the CLI race on a fresh checkout, the first key written wins.
    await writeFile(file, JSON.stringify(await exportSigningKey(key)), { mode: 0o600, flag: 'wx' });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return developmentKey(dir);
  }
}
