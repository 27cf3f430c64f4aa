/**
 * A secret that may rotate while the service runs — the payment callback HMAC key. Signatures made with
 * the previous key are still accepted for a grace period after a rotation, because the peer that signs
 * picks up the new key some time after it was made.
 */
import type { SecretSource } from '../../config/config.ts';
import type { SecretVersionReader } from './secrets.ts';

export interface RotatingSecret {
  /** The value to sign with. */
  current(): string;
  /** The values to accept: the current one, and the previous one within the grace period. */
  accepted(): readonly string[];
  /** Reads both versions again now (also done every refresh interval). */
  refresh(): Promise<void>;
  stop(): void;
}

export interface RotatingSecretOptions {
  /** How long after a rotation the previous value stays valid (default 1 hour). */
  readonly graceMs?: number;
  /** How often Secrets Manager is asked for the current and previous versions (default 1 minute). */
  readonly refreshIntervalMs?: number;
  /** A refresh that fails keeps the values known so far; this hears about it (e.g. a warning log). */
  readonly onRefreshError?: (error: unknown) => void;
  readonly now?: () => number;
}

const DEFAULT_ROTATION_GRACE_MS = 60 * 60_000;
const DEFAULT_ROTATION_REFRESH_MS = 60_000;

/**
 * Loads the secret (failing start-up when it cannot be read) and keeps it fresh in the background.
 * A value given directly (local use) never rotates.
 */
export async function loadRotatingSecret(
  source: SecretSource,
  reader: SecretVersionReader,
  options: RotatingSecretOptions = {},
): Promise<RotatingSecret> {
  if ('value' in source) return fixedSecret(source.value);

  const id = source.secretId;
  const graceMs = options.graceMs ?? DEFAULT_ROTATION_GRACE_MS;
  const now = options.now ?? Date.now;
  const readState = async (known?: RotationState): Promise<RotationState> => {
    const [current, previous] = await Promise.all([
      reader.getVersion(id, 'AWSCURRENT'),
      reader.getVersion(id, 'AWSPREVIOUS'),
    ]);
    if (!current) throw new Error(`Secret "${id}" has no AWSCURRENT version.`);
    // Without a creation date, the rotation counts from when this replica first saw the new value.
    const rotatedAt =
      current.createdAt?.getTime() ?? (known?.current === current.value ? known.rotatedAt : now());
    return { current: current.value, previous: previous?.value, rotatedAt };
  };
  let state = await readState();

  const refresh = async () => {
    state = await readState(state);
  };
  const timer = setInterval(() => {
    refresh().catch((error: unknown) => options.onRefreshError?.(error));
  }, options.refreshIntervalMs ?? DEFAULT_ROTATION_REFRESH_MS);
  // The refresh never keeps the process alive on its own.
  timer.unref();

  return {
    current: () => state.current,
    accepted: () =>
      state.previous !== undefined &&
      state.previous !== state.current &&
      now() < state.rotatedAt + graceMs
        ? [state.current, state.previous]
        : [state.current],
    refresh,
    stop: () => clearInterval(timer),
  };
}

interface RotationState {
  readonly current: string;
  readonly previous: string | undefined;
  readonly rotatedAt: number;
}

function fixedSecret(value: string): RotatingSecret {
  return {
    current: () => value,
    accepted: () => [value],
    refresh: async () => {},
    stop: () => {},
  };
}
