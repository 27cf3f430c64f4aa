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

  it('verify the raw bytes as sent, whether given as text or as bytes', () => {
    const header = signPayload(body, 'k1', now);
    expect(isValidSignature(header, Buffer.from(body), ['k1'], now)).toBe(true);
    expect(isValidSignature(header, Buffer.from(`${body}\n`), ['k1'], now)).toBe(false);
  });

  describe('read the header strictly', () => {
    const digest = signPayload(body, 'k1', now).split('v1=')[1] as string;
    it.each([
      ['t with a sign', `t=+${now},v1=${digest}`],
      ['t in exponent notation', `t=1.795e9,v1=${digest}`],
      ['t with a fraction', `t=${now}.0,v1=${digest}`],
      ['v1 one hex digit short', `t=${now},v1=${digest.slice(1)}`],
      ['v1 one hex digit long', `t=${now},v1=${digest}0`],
      ['v1 with a non-hex digit', `t=${now},v1=${digest.slice(1)}g`],
      ['a repeated v1', `t=${now},v1=${digest},v1=${digest}`],
      ['a repeated t', `t=${now},t=${now},v1=${digest}`],
      ['spaces around the pairs', `t=${now}, v1=${digest}`],
      ['an empty pair', `t=${now},,v1=${digest}`],
      ['no t', `v1=${digest}`],
    ])('refuse %s', (_case, header) => {
      expect(isValidSignature(header, body, ['k1'], now)).toBe(false);
    });

    it('accept the pairs in any order, with keys of later schemes beside them', () => {
      expect(isValidSignature(`v1=${digest},t=${now}`, body, ['k1'], now)).toBe(true);
      expect(isValidSignature(`t=${now},v1=${digest},v2=abc`, body, ['k1'], now)).toBe(true);
    });
  });
});
