import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { TokenVerifier } from '../../adapters/identity/token-verifier.ts';
import {
  IdentityProviderUnavailableError,
  InvalidTokenError,
} from '../../adapters/identity/token-verifier.ts';
import type { Operation } from '../../application/access-policy.ts';
import { accessTo } from '../../application/access-policy.ts';
import type { Caller } from '../../application/caller.ts';
import { DependencyUnavailableError } from '../../domain/errors.ts';
import { insufficientScope, unauthenticated } from '../access.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; set on every route behind the authentication plugin. */
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** The order operation a route performs: its scopes are checked before the body is even read. */
    operation?: Operation;
  }
}

/** RFC 6750 §2.1: `Bearer` and a b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Every route registered after this plugin, in its scope, needs a valid bearer token; a route that names
 * its `operation` also needs a scope that allows it. Runs on `onRequest`, so an anonymous request is
 * refused before its body is parsed.
 */
export const authentication = fp<{ verifier: TokenVerifier }>(
  async (app: FastifyInstance, { verifier }) => {
    app.decorateRequest('caller', null);
    app.addHook('onRequest', async (request) => {
      const header = request.headers.authorization;
      if (header === undefined || !/^bearer +\S/i.test(header)) {
        throw unauthenticated('Send an access token: Authorization: Bearer <token>.', false);
      }
      const token = BEARER.exec(header)?.[1];
      if (token === undefined) throw unauthenticated('the bearer token is malformed', true);
      try {
        request.caller = await verifier.verify(token);
      } catch (error) {
        if (error instanceof InvalidTokenError) throw unauthenticated(error.message, true);
        if (error instanceof IdentityProviderUnavailableError) {
          throw new DependencyUnavailableError('identity provider', 5, error);
        }
        throw error;
      }
      const operation = request.routeOptions.config.operation;
      if (operation !== undefined) {
        const access = accessTo(request.caller, operation);
        if (access.kind === 'insufficient_scope') throw insufficientScope(operation, access.scopes);
      }
    });
  },
  { name: 'authentication' },
);
