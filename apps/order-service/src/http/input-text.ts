/**
 * Rules for text that JSON Schema cannot express well, applied to every string (and object key) of a
 * request's params, query and body.
 */
export interface InputIssue {
  readonly in: string;
  readonly path: string;
  readonly message: string;
}

/**
 * Idempotency keys travel only in a header, never in a path, and are often random base64: the same set
 * plus `+ / =`, in any position.
 */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:@+/=-]{1,255}$/;
export const IDEMPOTENCY_KEY_DESCRIPTION = '1–255 ASCII letters, digits and - _ . : @ + / =';

/**
 * Control characters (C0, DEL, C1 — NUL included) belong in no field of this API; free text stays
 * Unicode otherwise. Unpaired UTF-16 surrogates cannot be stored by PostgreSQL.
 */
const CONTROL_CHARACTER = /\p{Cc}/u;

function isAcceptableText(text: string): boolean {
  return text.isWellFormed() && !CONTROL_CHARACTER.test(text);
}

/**
 * Every string of `value` that breaks the rule above, as JSON Pointer paths. Iterative: bodies reach here
 * already bounded in depth and size (json-body.ts), and params and query are flat.
 */
export function unacceptableText(value: unknown, where: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const issue = (path: string) =>
    issues.push({
      in: where,
      path: path || '/',
      message: 'must not contain control characters or unpaired surrogates',
    });
  const stack: [value: unknown, path: string][] = [[value, '']];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [current, path] = next;
    if (typeof current === 'string') {
      if (!isAcceptableText(current)) issue(path);
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (const [key] of entries) if (!isAcceptableText(key)) issue(path);
      // Reversed onto the stack, so issues come out in document order.
      for (const [key, child] of entries.reverse()) {
        stack.push([child, `${path}/${escapePointer(key)}`]);
      }
    }
  }
  return issues;
}

/** RFC 6901: `~` and `/` inside a path segment. */
const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
