/**
 * Whether an error means the database cannot be reached right now (down, failing over, refusing
 * connections), as opposed to a bug or a bad statement. The caller answers 503 with Retry-After.
 *
 * PostgreSQL reports connection trouble as SQLSTATE class 08 (connection exception), 57P01–57P03 (admin or
 * crash shutdown, cannot connect now) and 53300 (too many connections); node-postgres and the socket layer
 * report it as network error codes or as a few fixed messages without a code.
 */
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
const DRIVER_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  // The error itself, its causes and, for an AggregateError (one per address tried), its members.
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length > 0 && seen < 16; seen++) {
    const candidate = pending.shift();
    if (!(candidate instanceof Error)) continue;
    const code = (candidate as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (UNAVAILABLE_SQLSTATE.test(code) || NETWORK_ERROR_CODES.has(code))
    )
      return true;
    if (DRIVER_MESSAGES.some((message) => candidate.message.startsWith(message))) return true;
    pending.push(candidate.cause);
    if (candidate instanceof AggregateError) pending.push(...candidate.errors);
  }
  return false;
}
