import { DEVELOPMENT_ISSUER_PORT } from '../adapters/identity/development-issuer.ts';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';

/**
 * The served OpenAPI document, committed so that a pull request shows every contract change as a diff and
 * the generated client (libs/order-client) is built from it. `nx run order-service:openapi` rewrites it.
 */
export const committedOpenApiPath = fileURLToPath(
  new URL('../../../../docs/contracts/order-service.openapi.json', import.meta.url),
);

/** The document as committed: formatted the way the workspace formats JSON, so `prettier --check` agrees. */
export async function formatOpenApiDocument(document: unknown): Promise<string> {
  const options = await prettier.resolveConfig(committedOpenApiPath);
  return prettier.format(JSON.stringify(document), { ...options, parser: 'json' });
}

/**
 * The identity settings the committed document is generated with, and its spec checks it under: the
 * client-credentials token endpoint it names is the development issuer's (as `servers` names the local
 * service first), whatever issuer and port the generating or testing service really uses.
 */
export const documentedIdentityEnv = {
  AUTH_CLIENT_CREDENTIALS_URL: `http://127.0.0.1:${DEVELOPMENT_ISSUER_PORT}/oauth2/token`,
} as const;
