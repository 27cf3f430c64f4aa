import { z } from 'zod';
import { database } from './database.ts';
import { events } from './events.ts';
import { http } from './http-settings.ts';
import { identity } from './identity.ts';
import type { ConfigPart } from './part.ts';
import { peers } from './peers.ts';
import { Problems } from './problems.ts';
import { retention } from './retention.ts';
import { secrets } from './secrets.ts';
import { service } from './service.ts';
import { tracing } from './tracing.ts';
import { withoutEmptyValues } from './variables.ts';
import { workers } from './workers.ts';

export { ConfigError } from './problems.ts';
export type { SecretSource } from './secrets.ts';
export type { HttpSettings } from './http-settings.ts';

/**
 * All configuration, read from the environment once at start-up and validated as a whole: a bad or missing
 * setting stops start-up with one message that names every offending variable, whichever part it is in.
 *
 * Outside production, whatever is not configured falls back to a local part (embedded PostgreSQL,
 * simulated peers, events logged to stdout). Production never falls back: it must name every dependency.
 *
 * A new setting goes into the part it belongs to; a new part is a file like database.ts, listed here.
 */
const parts = [
  service,
  http,
  database,
  secrets,
  peers,
  events,
  workers,
  retention,
  tracing,
  identity,
] as const;

type PieceOf<Part> = Part extends ConfigPart<z.ZodRawShape, infer Piece> ? Piece : never;
/** The pieces of all parts together (each part owns different keys). */
type Pieces<Parts> = Parts extends readonly [infer First, ...infer Rest]
  ? PieceOf<First> & Pieces<Rest>
  : unknown;

export type Config = Readonly<Pieces<typeof parts>>;

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const env = withoutEmptyValues(environment);
  const problems = new Problems();
  const context = { production: env.NODE_ENV === 'production' };
  const pieces = parts.map((part: ConfigPart<z.ZodRawShape, object>) => {
    const parsed = z.object(part.variables).safeParse(env);
    if (parsed.success) return part.build(parsed.data, problems, context);
    for (const issue of parsed.error.issues) problems.add(issue.path.join('.'), issue.message);
    return {};
  });
  problems.throwIfAny();
  return Object.assign({}, ...pieces) as Config;
}
