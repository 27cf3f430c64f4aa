/**
 * A peer refused a call for a reason the order service cannot fix by retrying soon (a 4xx outside what the
 * port models: a contract violation, a bad API key, a reservation that already expired). The outbox
 * dispatcher treats it like any failure — retries with backoff, then dead-letters it for a human.
 */
export class PeerRejectionError extends Error {
  readonly peer: string;
  readonly operation: string;
  readonly status: number;
  /** The peer's machine-readable `code` when its body carried one. */
  readonly code: string | undefined;

  constructor(peer: string, operation: string, status: number, body: unknown) {
    const code = readCode(body);
    super(`The ${peer} service refused ${operation} with ${status}${code ? ` (${code})` : ''}`);
    this.name = 'PeerRejectionError';
    this.peer = peer;
    this.operation = operation;
    this.status = status;
    this.code = code;
  }
}

function readCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { code, error } = body as { code?: unknown; error?: unknown };
  if (typeof code === 'string') return code;
  return typeof error === 'string' ? error : undefined;
}
