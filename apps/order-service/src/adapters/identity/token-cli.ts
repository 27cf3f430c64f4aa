import { parseArgs } from 'node:util';
import { duration } from '../../config/variables.ts';
import {
  DEVELOPMENT_AUDIENCE,
  DEVELOPMENT_ISSUER,
  DEVELOPMENT_ISSUER_DIR,
  developmentKey,
} from './development-issuer.ts';
import { mintAccessToken } from './local-issuer.ts';

/**
 * Mints an access token from the development issuer (the key under `.data/dev-issuer`):
 *   npx nx run order-service:token -- --sub user-42 --scope orders/customer
 *   npx nx run order-service:token -- --client warehouse --scope orders/fulfil --scope orders/read
 * It prints the token on a line of its own (`| grep '^ey'` picks it out of nx's output).
 */
const USAGE = `usage: token (--sub <user> | --client <client id>) --scope <scope> [--scope …] [--ttl 1h]
  --sub     a user: the token acts as this user (orders/customer)
  --client  a service: a client-credentials token (sub = client_id = this id)
  --scope   orders/customer, orders/read, orders/fulfil or orders/support (repeat, or space-separated)
  --ttl     lifetime: 3600, 30s, 15m, 2h (default 1h)
  --dir     where the development key is kept (default $DEV_ISSUER_DIR or apps/order-service/.data/dev-issuer)`;

export async function mintFromArguments(args: readonly string[]): Promise<string> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      sub: { type: 'string' },
      client: { type: 'string' },
      scope: { type: 'string', multiple: true },
      ttl: { type: 'string', default: '1h' },
      dir: { type: 'string', default: process.env['DEV_ISSUER_DIR'] ?? DEVELOPMENT_ISSUER_DIR },
    },
  });
  if (Boolean(values.sub) === Boolean(values.client)) {
    throw new UsageError('give exactly one of --sub and --client');
  }
  const scope = (values.scope ?? []).join(' ').split(/\s+/).filter(Boolean).join(' ');
  if (scope === '') throw new UsageError('give at least one --scope');
  const ttl = duration.safeParse(values.ttl);
  const ttlMs = ttl.success ? ttl.data : 0;
  if (ttlMs < 1000) throw new UsageError('--ttl must be a duration ≥ 1s, such as 30s, 15m or 2h');

  const key = await developmentKey(values.dir);
  const subject = values.client ?? values.sub ?? '';
  return mintAccessToken(
    DEVELOPMENT_ISSUER,
    {
      sub: subject,
      scope,
      aud: DEVELOPMENT_AUDIENCE,
      ...(values.client ? { client_id: values.client } : {}),
      ttlSeconds: Math.floor(ttlMs / 1000),
    },
    key,
  );
}

class UsageError extends Error {}

if (import.meta.main) {
  try {
    process.stdout.write(`${await mintFromArguments(process.argv.slice(2))}\n`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n${USAGE}\n`);
    process.exitCode = 2;
  }
}
