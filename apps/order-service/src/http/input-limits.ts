/**
 * The size of what a request may carry, in one place (docs/security.md says what each protects). Every
 * limit is several times what a valid request needs, and small enough that refusing costs next to nothing.
 */
export const inputLimits = {
  /** Largest request head (request line and headers); Node's default, set explicitly to be documented. */
  headerBytes: 16 * 1024,
  /** Largest body read; the largest valid order (100 items, full address) is about 10 KiB. */
  bodyBytes: 1024 * 1024,
  /** Deepest nesting of JSON arrays and objects; a valid order nests 3 levels. */
  jsonDepth: 32,
  /** Most JSON values (containers and scalars) in one body; a valid order of 100 items has about 320. */
  jsonValues: 2_000,
  /** Most entries of `errors` in one problem document; `moreErrors` counts the rest. */
  reportedErrors: 20,
} as const;
