/** `read`, but called at most once per `ms`: callers within that window share the same answer. */
export function cachedFor<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > ms) cached = { at: now, value: read() };
    return cached.value;
  };
}
