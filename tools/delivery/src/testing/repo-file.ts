import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root (tools/delivery/src/testing → four levels up). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A file of the repository as text, by its path from the root. */
export function repoFile(path: string): string {
  return readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
}
