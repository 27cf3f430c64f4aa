import { describe, expect, it } from 'vitest';
import type { Caller } from '../../application/caller.ts';
import { VerifiedTokens } from './verified-tokens.ts';

const caller = (subject: string): Caller => ({
  issuer: 'https://issuer.test',
  subject,
  clientId: undefined,
  scopes: new Set(['orders/customer']),
});

describe('remembered verified tokens', () => {
  it("are trusted only before the token's exp", () => {
    let now = 1_000_000;
    const tokens = new VerifiedTokens({ maxAgeMs: 600_000, now: () => now });
    tokens.remember('token-a', caller('user-1'), now / 1000 + 60);
    expect(tokens.get('token-a')).toMatchObject({ subject: 'user-1' });
    now += 59_999;
    expect(tokens.get('token-a')).toMatchObject({ subject: 'user-1' });
    now += 1;
    expect(tokens.get('token-a')).toBeUndefined();
  });

  it('are trusted for at most maxAgeMs, however far away exp is', () => {
    let now = 1_000_000;
    const tokens = new VerifiedTokens({ maxAgeMs: 5_000, now: () => now });
    tokens.remember('token-a', caller('user-1'), now / 1000 + 3600);
    now += 4_999;
    expect(tokens.get('token-a')).toBeDefined();
    now += 1;
    expect(tokens.get('token-a')).toBeUndefined();
  });

  it('never remember a token that has already expired', () => {
    const now = 1_000_000;
    const tokens = new VerifiedTokens({ maxAgeMs: 600_000, now: () => now });
    tokens.remember('token-a', caller('user-1'), now / 1000 - 30);
    expect(tokens.get('token-a')).toBeUndefined();
  });

  it('match the exact token only', () => {
    const tokens = new VerifiedTokens({ maxAgeMs: 600_000 });
    tokens.remember('header.payload.signature', caller('user-1'), Date.now() / 1000 + 60);
    expect(tokens.get('header.payload.signaturf')).toBeUndefined();
    expect(tokens.get('header.payload.signature ')).toBeUndefined();
  });

  it('are bounded in number and in characters: the least recently used go first', () => {
    const exp = Date.now() / 1000 + 60;
    const byCount = new VerifiedTokens({ maxAgeMs: 600_000, maxTokens: 2 });
    byCount.remember('token-a', caller('user-1'), exp);
    byCount.remember('token-b', caller('user-2'), exp);
    byCount.get('token-a');
    byCount.remember('token-c', caller('user-3'), exp);
    expect(byCount.get('token-b')).toBeUndefined();
    expect(byCount.get('token-a')).toBeDefined();
    expect(byCount.get('token-c')).toBeDefined();

    const bySize = new VerifiedTokens({ maxAgeMs: 600_000, maxTokenChars: 10 });
    bySize.remember('a'.repeat(6), caller('user-1'), exp);
    bySize.remember('b'.repeat(6), caller('user-2'), exp);
    expect(bySize.get('a'.repeat(6))).toBeUndefined();
    expect(bySize.get('b'.repeat(6))).toBeDefined();
  });
});
