import { z } from 'zod';

/** Schemas of environment values shared by the configuration parts. */

/**
 * The environment with its empty values left out: `DATABASE_URL=` in an env file or a blank ConfigMap key
 * means "not set" for every variable, as OpenTelemetry's specification has it for its own, not a value
 * that fails its schema (or, for a URL, a malformed one).
 */
export function withoutEmptyValues(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

/** Text, trimmed; empty (or only blanks) counts as unset. */
export const optionalText = z
  .string()
  .trim()
  .transform((text) => (text === '' ? undefined : text))
  .optional();

export const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const httpUrl = z.url({ protocol: /^https?$/ });

export const flag = z.enum(['true', 'false']).transform((text) => text === 'true');

const units: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Milliseconds from `900000`, `250ms`, `30s`, `15m`, `2h` or `14d`. */
export const duration = z.string().transform((text, context) => {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) {
    context.addIssue({
      code: 'custom',
      message: 'must be a duration such as 900000, 30s, 15m, 2h or 14d',
    });
    return z.NEVER;
  }
  return Number(match[1]) * (units[match[2] ?? 'ms'] ?? 1);
});
