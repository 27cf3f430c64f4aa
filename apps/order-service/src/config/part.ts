import type { z } from 'zod';
import type { Problems } from './problems.ts';

/**
 * One part of the configuration (database, peers, …): the environment variables it reads, each validated
 * by its own schema, and how it turns them into its piece of `Config`, adding problems that span several
 * variables (required in production, either-or, all-or-none) to the shared collector.
 */
export interface ConfigPart<Variables extends z.ZodRawShape, Piece extends object> {
  readonly variables: Variables;
  build(
    env: z.infer<z.ZodObject<Variables>>,
    problems: Problems,
    context: { readonly production: boolean },
  ): Piece;
}

/** Declares a part; the types of its variables flow into `build`. */
export function configPart<Variables extends z.ZodRawShape, Piece extends object>(
  part: ConfigPart<Variables, Piece>,
): ConfigPart<Variables, Piece> {
  return part;
}
