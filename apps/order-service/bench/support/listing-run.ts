import pg from 'pg';
import { createDatabaseOn } from '@mallhive/testing';
import { loadConfig } from '../../src/config/config.ts';
import { createServer } from '../../src/server.ts';
import type { TestIssuer } from '../../src/testing/test-issuer.ts';
import { measureAlternately } from './alternating-runs.ts';
import {
  explainListing,
  LISTING_INDEX,
  PAGE_SIZE,
  pagePaths,
  positionAfterPage,
  seedOrders,
} from './order-listing.ts';
import type { RunFigures } from './stats.ts';
import { figuresRow, fixed, formatTable } from './stats.ts';

const LISTED_USER = 'bench-list-customer';

/**
 * Issue 14, goal 3: GET /api/v1/users/{userId}/orders (a page of 20) for a customer with `userOrders`
 * orders in a table of `orders`, on a database of its own, with that customer's real token. The first page
 * and deep pages (every later page, reached by following `nextCursor` from the first) are loaded in turn;
 * before that, the plan of the repository's query, which must use the orders_by_user index.
 */
export async function measureListing(options: {
  adminUrl: string;
  serviceEnv: Record<string, string>;
  orders: number;
  userOrders: number;
  runs: { repeats: number; durationSeconds: number; warmupSeconds: number };
  issuer: TestIssuer;
  load(
    url: string,
    paths: readonly string[],
    authorization: string,
    seconds: number,
  ): Promise<RunFigures>;
}) {
  const database = await createDatabaseOn(options.adminUrl, 'order_service_list');
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    // The service migrates the empty database; the listing needs no workers.
    server = await createServer(loadConfig({ ...options.serviceEnv, DATABASE_URL: database.url }));
    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    console.log(
      `\nlisting: seeding ${options.orders} orders (2 items each), ${options.userOrders} of them one customer's …`,
    );
    const seedSeconds = await seedOrders(db, { ...options, userId: LISTED_USER });
    console.log(`seeded in ${fixed(seedSeconds)} s (including keys, indexes and VACUUM ANALYZE)`);

    const deepPage = Math.max(1, Math.floor(options.userOrders / PAGE_SIZE / 2));
    const plans = [
      {
        title: 'first page',
        plan: await explainListing(db, { userId: LISTED_USER, limit: PAGE_SIZE }),
      },
      {
        title: `page ${deepPage + 1} (after the cursor of page ${deepPage})`,
        plan: await explainListing(db, {
          userId: LISTED_USER,
          limit: PAGE_SIZE,
          before: await positionAfterPage(db, LISTED_USER, deepPage),
        }),
      },
    ];
    for (const { title, plan } of plans)
      console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the listing query, ${title}:\n${plan}`);
    const usesIndex = plans.every(({ plan }) => plan.includes(LISTING_INDEX));
    if (!usesIndex)
      console.log(`\nFAILED: the listing query does not use the index ${LISTING_INDEX}`);

    const authorization = `Bearer ${await options.issuer.customer(LISTED_USER)}`;
    const paths = await pagePaths(url, LISTED_USER, authorization);
    console.log(`\n${paths.length} pages of ${PAGE_SIZE} followed by cursor from the first\n`);
    const [firstPage, deepPages] = await measureAlternately(
      'list  ',
      [
        {
          name: 'first page',
          run: (seconds) => options.load(url, paths.slice(0, 1), authorization, seconds),
        },
        {
          name: 'deep pages',
          run: (seconds) => options.load(url, paths.slice(1), authorization, seconds),
        },
      ],
      options.runs,
    );
    const row = figuresRow;
    console.log(`\nmedians of ${options.runs.repeats} runs:\n`);
    console.log(
      formatTable(
        ['GET /api/v1/users/{userId}/orders', 'ops/s', 'p50 ms', 'p99 ms', 'failures'],
        [
          row('first page', firstPage!.figures),
          row(`pages 2–${paths.length} via the cursor`, deepPages!.figures),
        ],
      ),
    );
    return { firstPage: firstPage!.figures, deepPages: deepPages!.figures, usesIndex, seedSeconds };
  } finally {
    await server?.stop();
    await db.end();
    await database.drop();
  }
}
