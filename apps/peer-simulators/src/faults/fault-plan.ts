/**
 * Failure injection. A fault makes a peer answer with an error status (503, 429, 500, …), hang
 * (`timeout`: no answer until the caller gives up) or answer slowly (`latencyMs`). Faults come from an
 * admin endpoint (`PUT /admin/faults/{peer}`, for the next `count` requests or until cleared) or from one
 * request's own headers (`x-sim-fail`, `x-sim-latency-ms`, `x-sim-retry-after`).
 */
export const PEERS = ['product', 'payment', 'notification', 'analytics'] as const;
export type PeerName = (typeof PEERS)[number];

type FaultStatus = number | 'timeout';

export interface Fault {
  /** An HTTP status to answer with, or `timeout`; absent for latency alone. */
  readonly status?: FaultStatus;
  /** Sent as `Retry-After` with the status. */
  readonly retryAfterSeconds?: number;
  /** Delay before answering (or before failing). */
  readonly latencyMs?: number;
  /** How many requests the fault affects; absent means until cleared. */
  readonly count?: number;
}

interface ActiveFault {
  readonly fault: Fault;
  remaining: number;
}

export class FaultPlan {
  readonly #faults = new Map<PeerName, ActiveFault>();

  set(peer: PeerName, fault: Fault): void {
    this.#faults.set(peer, { fault, remaining: fault.count ?? Number.POSITIVE_INFINITY });
  }

  clear(peer?: PeerName): void {
    if (peer) this.#faults.delete(peer);
    else this.#faults.clear();
  }

  list(): Record<string, Fault & { remaining: number | null }> {
    return Object.fromEntries(
      [...this.#faults].map(([peer, { fault, remaining }]) => [
        peer,
        { ...fault, remaining: Number.isFinite(remaining) ? remaining : null },
      ]),
    );
  }

  /** The fault for this request, if any: the request's own headers win over the admin plan. */
  take(
    peer: PeerName,
    headers: Readonly<Record<string, string | string[] | undefined>>,
  ): Fault | undefined {
    const fromHeaders = faultFromHeaders(headers);
    if (fromHeaders) return fromHeaders;
    const active = this.#faults.get(peer);
    if (!active) return undefined;
    active.remaining -= 1;
    if (active.remaining <= 0) this.#faults.delete(peer);
    return active.fault;
  }
}

function faultFromHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Fault | undefined {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const fail = header('x-sim-fail');
  const latency = Number(header('x-sim-latency-ms'));
  const retryAfter = Number(header('x-sim-retry-after'));
  const status: FaultStatus | undefined =
    fail === 'timeout' ? 'timeout' : fail && /^[45]\d\d$/.test(fail) ? Number(fail) : undefined;
  if (status === undefined && !(latency > 0)) return undefined;
  return {
    ...(status === undefined ? {} : { status }),
    ...(latency > 0 ? { latencyMs: latency } : {}),
    ...(retryAfter >= 0 && header('x-sim-retry-after') !== undefined
      ? { retryAfterSeconds: retryAfter }
      : {}),
  };
}
