import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `Mallhive-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "<t>.<raw body>">` — the signature the
 * payment service puts on every callback (the same scheme as Stripe's webhooks, so their tooling fits).
 * Shared by the callback route (verify) and the payment simulators (sign).
 */
export const SIGNATURE_HEADER = 'mallhive-signature';
const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(
  rawBody: string | Uint8Array,
  secret: string,
  timestamp: number,
): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, rawBody).toString('hex')}`;
}

/**
 * True when the header carries a fresh signature made with one of `secrets` (several during a key
 * rotation's grace period) over exactly these bytes. The header is read strictly: comma-separated
 * `key=value` pairs without spaces, each key once, `t` decimal digits, `v1` exactly 64 hex digits; keys
 * of later schemes are ignored. Anything else is unsigned.
 */
export function isValidSignature(
  header: string | undefined,
  rawBody: string | Uint8Array,
  secrets: readonly string[],
  nowSeconds: number,
): boolean {
  const parsed = header === undefined ? undefined : parseSignatureHeader(header);
  if (!parsed) return false;
  if (Math.abs(nowSeconds - parsed.timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  return secrets.some((secret) =>
    timingSafeEqual(hmac(secret, parsed.timestamp, rawBody), parsed.signature),
  );
}

const PAIR = /^([a-z][a-z0-9]*)=([^,=\s]*)$/;
const TIMESTAMP = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

function parseSignatureHeader(
  header: string,
): { timestamp: number; signature: Buffer } | undefined {
  const pairs = new Map<string, string>();
  for (const part of header.split(',')) {
    const match = PAIR.exec(part);
    if (!match || pairs.has(match[1] as string)) return undefined;
    pairs.set(match[1] as string, match[2] as string);
  }
  const timestamp = pairs.get('t');
  const signature = pairs.get('v1');
  if (!timestamp || !TIMESTAMP.test(timestamp) || !signature || !HEX_SHA256.test(signature)) {
    return undefined;
  }
  return { timestamp: Number(timestamp), signature: Buffer.from(signature, 'hex') };
}

function hmac(secret: string, timestamp: number, rawBody: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}
