import { describe, expect, it } from 'vitest';
import { isValidSignature, signPayload } from './payment-callback-signature.ts';

const body = '{"orderId":"o-1","status":"succeeded"}';
const now = 1_795_000_000;

describe('payment callback signatures', () => {
  it('accept a fresh signature over the exact body', () => {
    expect(isValidSignature(signPayload(body, 'k1', now), body, ['k1'], now)).toBe(true);
  });

  it('refuse another body, another key, or a missing header', () => {
    const header = signPayload(body, 'k1', now);
    expect(isValidSignature(header, `${body} `, ['k1'], now)).toBe(false);
    expect(isValidSignature(header, body, ['k2'], now)).toBe(false);
    expect(isValidSignature(undefined, body, ['k1'], now)).toBe(false);
    expect(isValidSignature('t=abc,v1=00', body, ['k1'], now)).toBe(false);
  });

  it('refuse timestamps more than five minutes away, either way', () => {
    expect(isValidSignature(signPayload(body, 'k1', now - 301), body, ['k1'], now)).toBe(false);
    expect(isValidSignature(signPayload(body, 'k1', now + 301), body, ['k1'], now)).toBe(false);
    expect(isValidSignature(signPayload(body, 'k1', now - 299), body, ['k1'], now)).toBe(true);
  });

  it('accept the previous key during a rotation', () => {
    expect(isValidSignature(signPayload(body, 'old', now), body, ['new', 'old'], now)).toBe(true);
  });
});
