import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '@mallhive/order-contracts';
import {
  hostileTokenKinds,
  TEST_AUDIENCE,
  TEST_CLIENT_IDS,
  TestIssuer,
} from '../../testing/test-issuer.ts';
import { newSigningKey } from './local-issuer.ts';
import type { TokenVerifierOptions } from './token-verifier.ts';
import {
  createTokenVerifier,
  IdentityProviderUnavailableError,
  InvalidTokenError,
} from './token-verifier.ts';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start();
});
afterAll(() => issuer.close());

/** A verifier that trusts `of`: the shared test issuer, or one a test starts for itself. */
const verifierFor = (options: Partial<TokenVerifierOptions> = {}, of: TestIssuer = issuer) =>
  createTokenVerifier({
    issuer: of.issuer,
    jwksUrl: of.jwksUrl,
    audience: TEST_AUDIENCE,
    allowedClientIds: TEST_CLIENT_IDS,
    ...options,
  });
const seconds = () => Math.floor(Date.now() / 1000);

describe('the token verifier', () => {
  it.each(['RS256', 'ES256'] as const)(
    'accepts a %s access token for this audience and says who calls',
    async (alg) => {
      const token = await issuer.token(
        { sub: 'user-42', scope: 'orders/customer orders/read' },
        alg,
      );
      const caller = await verifierFor().verify(token);
      expect(caller).toEqual({
        issuer: issuer.issuer,
        subject: 'user-42',
        clientId: undefined,
        scopes: new Set([Scope.Customer, Scope.Read]),
      });
    },
  );

  it('accepts a Cognito-style client-credentials token (client_id in the allowed list, no aud)', async () => {
    const caller = await verifierFor().verify(
      await issuer.service('warehouse-client', Scope.Fulfil),
    );
    expect(caller).toMatchObject({ subject: 'warehouse-client', clientId: 'warehouse-client' });
    expect([...caller.scopes]).toEqual([Scope.Fulfil]);
  });

  it.each(hostileTokenKinds)('refuses a token that is %s', async (kind) => {
    const token = await issuer.hostile(kind, { sub: 'user-42', scope: Scope.Customer });
    await expect(verifierFor().verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses asymmetric algorithms other than RS256 and ES256', async () => {
    const { privateKey } = await generateKeyPair('RS512');
    const token = await new SignJWT({ sub: 'user-42', aud: TEST_AUDIENCE, scope: Scope.Read })
      .setProtectedHeader({ alg: 'RS512', kid: 'test-rsa-1' })
      .setIssuer(issuer.issuer)
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verifierFor().verify(token)).rejects.toThrow(/RS256 or ES256/);
  });

  it('tolerates 60 s of clock skew on exp and nbf, and no more', async () => {
    const verifier = verifierFor();
    const claims = { sub: 'user-42', scope: Scope.Customer };
    await expect(
      verifier.verify(await issuer.token({ ...claims, exp: seconds() - 30 })),
    ).resolves.toBeDefined();
    await expect(
      verifier.verify(await issuer.token({ ...claims, nbf: seconds() + 30 })),
    ).resolves.toBeDefined();
    await expect(
      verifier.verify(await issuer.token({ ...claims, nbf: seconds() + 120 })),
    ).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('requires exp and sub', async () => {
    const noExp = await new SignJWT({ sub: 'user-42', aud: TEST_AUDIENCE, scope: Scope.Read })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-rsa-1' })
      .setIssuer(issuer.issuer)
      .sign(issuer.server.keys[0]!.privateKey);
    await expect(verifierFor().verify(noExp)).rejects.toThrow(/exp/);
    const noSub = await issuer.token({ sub: '', scope: Scope.Read });
    await expect(verifierFor().verify(noSub)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses ID tokens, and clients that are not in the allowed list', async () => {
    const idToken = await issuer.token({ sub: 'user-42', scope: '', token_use: 'id' });
    await expect(verifierFor().verify(idToken)).rejects.toThrow(/not an access token/);
    const stranger = await issuer.token({
      sub: 'stranger',
      aud: [],
      client_id: 'stranger',
      scope: Scope.Read,
    });
    await expect(verifierFor().verify(stranger)).rejects.toThrow(/aud \/ client_id/);
  });

  it('accepts aud as a list that contains the audience', async () => {
    const token = await issuer.token({
      sub: 'user-42',
      aud: ['other', TEST_AUDIENCE],
      scope: Scope.Read,
    });
    await expect(verifierFor().verify(token)).resolves.toMatchObject({ subject: 'user-42' });
  });
});

describe('a token verified before', () => {
  it('is accepted again until its exp; past exp it is judged in full (clock tolerance included)', async () => {
    let now = Date.now();
    const verifier = verifierFor({ now: () => now });
    const exp = Math.floor(now / 1000) + 120;
    const token = await issuer.token({ sub: 'user-42', scope: Scope.Customer, exp });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-42' });
    now = exp * 1000 - 1;
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-42' });
    now = exp * 1000 + 30_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-42' });
    now = exp * 1000 + 61_000;
    await expect(verifier.verify(token)).rejects.toThrow(/expired/);
  });

  it('stops counting once its key has left the JWKS and the keys are refetched', async () => {
    const rotating = await TestIssuer.start();
    try {
      const verifier = verifierFor({ keysMaxAgeMs: 100 }, rotating);
      const token = await rotating.customer('user-42');
      await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'user-42' });
      const next = await newSigningKey('ES256', 'test-ec-2');
      rotating.server.jwks = { keys: [next.publicJwk] };
      await sleep(150);
      await expect(verifier.verify(token)).rejects.toThrow(/no key with the token's kid/);
    } finally {
      await rotating.close();
    }
  });

  it('is judged in full every time when it failed', async () => {
    const verifier = verifierFor();
    const forged = await issuer.hostile('tampered payload', { sub: 'user-42', scope: '' });
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('the issuer keys', () => {
  it('are fetched once and cached by kid; an unknown kid refreshes at most once per cooldown', async () => {
    const rotating = await TestIssuer.start();
    try {
      const verifier = verifierFor({ refreshCooldownMs: 300 }, rotating);
      const claims = { sub: 'user-42', scope: Scope.Customer };
      for (let index = 0; index < 5; index++) {
        await verifier.verify(await rotating.token(claims));
      }
      expect(rotating.server.jwksFetches).toBe(1);

      // The issuer rotates in a new key; tokens signed with it arrive at once.
      const next = await newSigningKey('ES256', 'test-ec-2');
      rotating.server.jwks = { keys: [...rotating.server.jwks.keys, next.publicJwk] };
      const rotated = await rotating.server.mint({ aud: TEST_AUDIENCE, ...claims }, next);
      await expect(verifier.verify(rotated)).rejects.toThrow(/no key with the token's kid/);
      await expect(verifier.verify(rotated)).rejects.toBeInstanceOf(InvalidTokenError);
      expect(rotating.server.jwksFetches).toBe(1);

      await sleep(350);
      await expect(verifier.verify(rotated)).resolves.toMatchObject({ subject: 'user-42' });
      expect(rotating.server.jwksFetches).toBe(2);
      // A flood of unknown kids right after costs no further fetch.
      const unknown = await rotating.hostile('unknown kid', claims);
      for (let index = 0; index < 5; index++) {
        await expect(verifier.verify(unknown)).rejects.toBeInstanceOf(InvalidTokenError);
      }
      expect(rotating.server.jwksFetches).toBe(2);
    } finally {
      await rotating.close();
    }
  });

  it('an unreachable or failing JWKS is IdentityProviderUnavailableError, not an invalid token', async () => {
    const gone = await TestIssuer.start();
    const token = await gone.customer('user-42');
    gone.server.failWith = 503;
    const verifier = verifierFor({}, gone);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailableError);

    await gone.close();
    const refused = verifierFor({}, gone);
    await expect(refused.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
  });

  it('while the issuer is down, keeps verifying with the keys it fetched last', async () => {
    const flaky = await TestIssuer.start();
    try {
      const stale: unknown[] = [];
      const verifier = verifierFor(
        { keysMaxAgeMs: 100, onStaleKeys: (error) => stale.push(error) },
        flaky,
      );
      await verifier.verify(await flaky.customer('user-42'));
      flaky.server.failWith = 500;
      await sleep(150);
      await expect(verifier.verify(await flaky.customer('user-43'))).resolves.toMatchObject({
        subject: 'user-43',
      });
      await expect(verifier.verify(await flaky.customer('user-44'))).resolves.toBeDefined();
      expect(stale).toHaveLength(1);
      // Still no forgeries: the stale keys verify signatures as the fresh ones did.
      const forged = await flaky.hostile('tampered payload', { sub: 'user-42', scope: '' });
      await expect(verifier.verify(forged)).rejects.toBeInstanceOf(InvalidTokenError);
    } finally {
      await flaky.close();
    }
  });

  it("finds the JWKS through the issuer's discovery document, or at /.well-known/jwks.json", async () => {
    const discovered = createTokenVerifier({ issuer: issuer.issuer, audience: TEST_AUDIENCE });
    await expect(discovered.verify(await issuer.customer('user-42'))).resolves.toBeDefined();

    const plain = await TestIssuer.start();
    try {
      plain.server.servesDiscovery = false;
      const conventional = createTokenVerifier({ issuer: plain.issuer, audience: TEST_AUDIENCE });
      await expect(conventional.verify(await plain.customer('user-42'))).resolves.toBeDefined();
      expect(plain.server.jwksFetches).toBe(1);
    } finally {
      await plain.close();
    }
  });
});
