import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Mallhive-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<raw body>">` — the signature the
 * payment service puts on every callback (the same scheme as Stripe's webhooks, so their tooling fits).
 * Shared by the callback route (verify) and the payment simulators (sign).
 */
export const SIGNATURE_HEADER = 'mallhive-signature';
const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(rawBody: string, secret: string, timestamp: number): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/**
 * True when the header carries a fresh signature made with one of `secrets` (several during a key
 * rotation's grace period).
 */
export function isValidSignature(
  header: string | undefined,
  rawBody: string,
  secrets: readonly string[],
  nowSeconds: number,
): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key && value) parts.set(key, [...(parts.get(key) ?? []), value]);
  }
  const timestamp = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(timestamp)) return false;
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;

  const candidates = (parts.get('v1') ?? []).map((hex) => Buffer.from(hex, 'hex'));
  return secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
    return candidates.some(
      (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
    );
  });
}
