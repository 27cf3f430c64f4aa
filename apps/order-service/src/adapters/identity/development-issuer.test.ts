import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Scope } from '@mallhive/order-contracts';
import {
  DEVELOPMENT_AUDIENCE,
  DEVELOPMENT_ISSUER,
  startDevelopmentIssuer,
} from './development-issuer.ts';
import { mintFromArguments } from './token-cli.ts';
import { createTokenVerifier } from './token-verifier.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-issuer-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the development issuer and the token command', () => {
  it('mints tokens the service verifies through the served JWKS, across restarts of the issuer', async () => {
    const token = await mintFromArguments([
      '--sub',
      'user-42',
      '--scope',
      'orders/customer',
      '--dir',
      dir,
    ]);
    for (let restart = 0; restart < 2; restart++) {
      const issuer = await startDevelopmentIssuer(dir, 0);
      try {
        const verifier = createTokenVerifier({
          issuer: DEVELOPMENT_ISSUER,
          jwksUrl: issuer.jwksUrl,
          audience: DEVELOPMENT_AUDIENCE,
        });
        await expect(verifier.verify(token)).resolves.toMatchObject({
          issuer: DEVELOPMENT_ISSUER,
          subject: 'user-42',
          scopes: new Set([Scope.Customer]),
        });
        expect(issuer.jwksFetches).toBe(1);
      } finally {
        await issuer.close();
      }
    }
  });

  it('keeps the private key readable by its owner only', async () => {
    await (await startDevelopmentIssuer(dir, 0)).close();
    const { mode } = await stat(join(dir, 'signing-key.json'));
    expect(mode & 0o777).toBe(0o600);
  });

  it('mints client-credentials tokens for services (sub = client_id)', async () => {
    const token = await mintFromArguments([
      '--client',
      'warehouse',
      '--scope',
      'orders/fulfil orders/read',
      '--dir',
      dir,
    ]);
    const issuer = await startDevelopmentIssuer(dir, 0);
    try {
      const caller = await createTokenVerifier({
        issuer: DEVELOPMENT_ISSUER,
        jwksUrl: issuer.jwksUrl,
        allowedClientIds: ['warehouse'],
      }).verify(token);
      expect(caller).toMatchObject({ subject: 'warehouse', clientId: 'warehouse' });
      expect([...caller.scopes]).toEqual([Scope.Fulfil, Scope.Read]);
    } finally {
      await issuer.close();
    }
  });

  it('grants client-credentials tokens to its development clients, as Cognito app clients get them', async () => {
    const issuer = await startDevelopmentIssuer(dir, 0);
    try {
      const grant = (basic: string, scope: string) =>
        fetch(issuer.tokenUrl, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(basic).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
        });
      const granted = await grant('dev-warehouse:dev-warehouse-secret', 'orders/fulfil');
      expect(granted.status).toBe(200);
      const { access_token: token, token_type: type } = (await granted.json()) as Record<
        string,
        string
      >;
      expect(type).toBe('Bearer');
      const caller = await createTokenVerifier({
        issuer: DEVELOPMENT_ISSUER,
        jwksUrl: issuer.jwksUrl,
        allowedClientIds: ['dev-warehouse'],
      }).verify(token ?? '');
      expect(caller).toMatchObject({ subject: 'dev-warehouse', clientId: 'dev-warehouse' });
      expect([...caller.scopes]).toEqual([Scope.Fulfil]);

      expect((await grant('dev-warehouse:wrong', 'orders/fulfil')).status).toBe(401);
      const beyond = await grant('dev-warehouse:dev-warehouse-secret', 'orders/support');
      expect(beyond.status).toBe(400);
      expect(await beyond.json()).toEqual({ error: 'invalid_scope' });
    } finally {
      await issuer.close();
    }
  });

  it('says what is missing from the command line', async () => {
    await expect(mintFromArguments(['--scope', 'orders/read', '--dir', dir])).rejects.toThrow(
      'give exactly one of --sub and --client',
    );
    await expect(mintFromArguments(['--sub', 'user-1', '--dir', dir])).rejects.toThrow(
      'give at least one --scope',
    );
    await expect(
      mintFromArguments(['--sub', 'u', '--scope', 'orders/read', '--ttl', 'soon', '--dir', dir]),
    ).rejects.toThrow('--ttl');
  });
});
