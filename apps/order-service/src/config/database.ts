import { z } from 'zod';
import { configPart } from './part.ts';
import { integer, optionalText } from './variables.ts';

/** PostgreSQL: a URL, an RDS secret, or (outside production) the embedded database. */
export const database = configPart({
  variables: {
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
      .optional(),
    DB_SECRET_ID: optionalText,
    DATABASE_POOL_MAX: integer(1, 200).default(10),
    DATABASE_CA_FILE: optionalText,
    EMBEDDED_DB_DIR: z.string().default('.data/pglite'),
  },
  build(env, problems, { production }) {
    if (env.DATABASE_URL && env.DB_SECRET_ID) {
      problems.add('DATABASE_URL', 'set either DATABASE_URL or DB_SECRET_ID, not both');
    }
    problems.require(
      'DATABASE_URL',
      !production || env.DATABASE_URL || env.DB_SECRET_ID,
      'is required in production (or DB_SECRET_ID)',
    );
    const poolMax = env.DATABASE_POOL_MAX;
    const database:
      | { readonly kind: 'url'; readonly url: string; readonly poolMax: number }
      | {
          readonly kind: 'secret';
          readonly secretId: string;
          readonly poolMax: number;
          /** PEM bundle that verifies the server's certificate (the AWS RDS CA bundle by default). */
          readonly caFile: string;
        }
      | { readonly kind: 'embedded'; readonly dataDir: string; readonly poolMax: number } =
      env.DB_SECRET_ID
        ? {
            kind: 'secret',
            secretId: env.DB_SECRET_ID,
            poolMax,
            caFile:
              env.DATABASE_CA_FILE ??
              new URL('../../certs/rds-global-bundle.pem', import.meta.url).pathname,
          }
        : env.DATABASE_URL
          ? { kind: 'url', url: env.DATABASE_URL, poolMax }
          : { kind: 'embedded', dataDir: env.EMBEDDED_DB_DIR, poolMax };
    return { database };
  },
});
