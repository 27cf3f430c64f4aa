import { Agent, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { freePort, type NodeProcess as ServiceProcess } from '@mallhive/testing';
import { idempotencyKeyOf } from './application/caller.ts';
import { REQUIRED_IN_PRODUCTION } from './testing/config-fixtures.ts';
import { runServiceUntilExit, startServiceProcess } from './testing/service-process.ts';
import { authEnvironment, TestIssuer } from './testing/test-issuer.ts';
import type { TestDatabase } from '@mallhive/testing';
import { createTestDatabase } from './testing/test-database.ts';
import { eventually, orderBody, uniqueKey } from './testing/test-server.ts';

/**
 * The process as operators meet it: `node src/main.ts` as a child process on loopback, its configuration
 * from the environment, stopped by signals. (The database is real PostgreSQL when DATABASE_URL is set,
 * otherwise an in-memory PGlite served over a loopback socket by this test process.)
 */

describe('start-up with a bad configuration', () => {
  it('refuses to start in production without its settings, naming each missing variable', async () => {
    const run = await runServiceUntilExit({ NODE_ENV: 'production' });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('order-service cannot start. Invalid configuration:');
    for (const variable of REQUIRED_IN_PRODUCTION) {
      expect(run.stderr).toContain(`- ${variable}:`);
    }
  });

  it('refuses a PORT that is not a number, naming PORT', async () => {
    const run = await runServiceUntilExit({ PORT: 'abc' });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/order-service cannot start\. Invalid configuration:\n {2}- PORT: /);
  });
});

describe('start-up without its dependencies', () => {
  it('stops with one clear line when the database cannot be reached', async () => {
    const run = await runServiceUntilExit({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/orders',
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^order-service cannot start\. .*ECONNREFUSED/m);
  });
});

describe('the running process', () => {
  let database: TestDatabase;
  let issuer: TestIssuer;
  let running: ServiceProcess[] = [];
  const tokens = new Map<string, Promise<string>>();
  /** `Authorization` of the customer `userId` (tokens of a real issuer the processes trust). */
  const bearer = async (userId = 'user-1') => {
    if (!tokens.has(userId)) tokens.set(userId, issuer.customer(userId));
    return { authorization: `Bearer ${await tokens.get(userId)}` };
  };

  beforeAll(async () => {
    [database, issuer] = await Promise.all([createTestDatabase(), TestIssuer.start()]);
  });
  afterEach(async () => {
    await Promise.all(running.map((service) => service.kill()));
    running = [];
  });
  afterAll(async () => {
    await Promise.all([database.drop(), issuer.close()]);
  });

  const start = async (env: Record<string, string> = {}) => {
    const service = await startServiceProcess({
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      // info: the "incoming request" line tells a test that a request has reached the service.
      LOG_LEVEL: 'info',
      OUTBOX_POLL_INTERVAL_MS: '50',
      SIMULATED_PAYMENT_DELAY_MS: '20',
      METRICS_PORT: '0',
      ...authEnvironment(issuer),
      ...env,
    });
    running.push(service);
    // A failed expectation about a process is explained by what the process said.
    onTestFailed(() => {
      console.error(`service on port ${service.port}:\n${service.stderr()}${service.stdout()}`);
    });
    return service;
  };

  const query = async <Row extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<Row>(sql, values)).rows;
    } finally {
      await client.end();
    }
  };

  const placeOrder = async (
    service: ServiceProcess,
    key = uniqueKey('process'),
    body = orderBody(),
  ) =>
    fetch(`${service.baseUrl}/api/v1/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        ...(await bearer(body.userId)),
      },
      body: JSON.stringify(body),
    });

  const getOrder = async (service: ServiceProcess, id: string) =>
    fetch(`${service.baseUrl}/api/v1/orders/${id}`, { headers: await bearer() });

  /** Starts a slow order placement, signals SIGTERM while it is in flight, and watches what follows. */
  const shutDownDuringAnOrder = async (client: Agent, shutdownTimeoutMs: number) => {
    const service = await start({
      SIMULATED_PEER_LATENCY_MS: '1500',
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    });
    let settled = false;
    const inFlight = postJson(client, `${service.baseUrl}/api/v1/orders`, orderBody(), {
      ...(await bearer()),
      'idempotency-key': uniqueKey('draining'),
    }).finally(() => (settled = true));
    await service.waitForOutput('"url":"/api/v1/orders"');
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    // The listener closes at once, while the slow request is still being served.
    await eventually(
      async () => ((await connectionRefused(service.port)) ? true : undefined),
      1_000,
    );
    const refusedWhileDraining = !settled;
    const response = await inFlight;
    const exit = await service.exited;
    return { response, exit, refusedWhileDraining, shutdownMs: Date.now() - signalledAt, service };
  };

  it('on SIGTERM stops accepting connections, finishes the request in flight, then exits 0', async () => {
    const shutdownTimeoutMs = 10_000;
    const { response, exit, refusedWhileDraining, shutdownMs, service } =
      await shutDownDuringAnOrder(new Agent({ keepAlive: false }), shutdownTimeoutMs);

    expect(refusedWhileDraining).toBe(true);
    expect(response.status).toBe(201);
    const order = JSON.parse(response.body) as { id: string };
    expect(await query('SELECT id FROM orders WHERE id = $1', [order.id])).toEqual([
      { id: order.id },
    ]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(shutdownMs).toBeLessThan(shutdownTimeoutMs);
    expect(await connectionRefused(service.port)).toBe(true);
  });

  it('shuts down as promptly when the client keeps its connection alive, as load balancers do', async () => {
    const shutdownTimeoutMs = 10_000;
    const { response, exit, shutdownMs } = await shutDownDuringAnOrder(
      new Agent({ keepAlive: true }),
      shutdownTimeoutMs,
    );

    expect(response.status).toBe(201);
    expect(response.headers.connection).toBe('close');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(shutdownMs).toBeLessThan(shutdownTimeoutMs);
  });

  it('loses no acknowledged order when killed: a new process serves it and carries out its follow-ups', async () => {
    // Slow peers and a far-off payment callback: the first process dies before any follow-up is done.
    const first = await start({
      SIMULATED_PEER_LATENCY_MS: '500',
      SIMULATED_PAYMENT_DELAY_MS: '600000',
    });
    const placed = await placeOrder(first);
    expect(placed.status).toBe(201);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const order = (await placed.json()) as Record<string, unknown> & { id: string };
    expect(
      await query('SELECT count(*)::int AS n FROM outbox WHERE order_id = $1', [order.id]),
    ).not.toEqual([{ n: 0 }]);

    // As if the first process's claim on its follow-ups (a 60 s lease) had run out.
    await query('UPDATE outbox SET available_at = now() WHERE order_id = $1', [order.id]);

    const second = await start();
    const served = await getOrder(second, order.id);
    expect(served.status).toBe(200);
    const { id, userId, currency, items, total, customerEmail, shippingAddress, createdAt } = order;
    expect(await served.json()).toMatchObject({
      id,
      userId,
      currency,
      items,
      total,
      customerEmail,
      shippingAddress,
      createdAt,
    });

    // The new process initiates the payment; the simulated payment service calls back; the order is paid.
    const paid = await eventually(async () => {
      const current = (await (await getOrder(second, order.id)).json()) as { status: string };
      return current.status === 'PAID' ? current : undefined;
    });
    expect(paid).toMatchObject({ id, payment: { status: 'succeeded' } });
  }, 60_000);

  it('serves /metrics on METRICS_PORT only, apart from the API', async () => {
    const metricsPort = await freePort();
    const service = await start({ METRICS_PORT: String(metricsPort) });
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('process_cpu_seconds_total');
    const onApiPort = await fetch(`${service.baseUrl}/metrics`);
    expect(onApiPort.status).toBe(404);
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'answers a retry at once when the request holding its Idempotency-Key died with its process (real PostgreSQL only: PGlite keeps every lock in one session, so there only the 60 s limit applies, see idempotency-store.test.ts)',
    async () => {
      const first = await start({ SIMULATED_PEER_LATENCY_MS: '5000' });
      const key = uniqueKey('crashed');
      // Stored scoped to the caller (issuer and sub).
      const storedKey = idempotencyKeyOf(
        { issuer: issuer.issuer, subject: 'user-1', clientId: undefined, scopes: new Set() },
        key,
      );
      const doomed = placeOrder(first, key).catch(() => 'connection lost');
      await eventually(async () => {
        const claims = await query('SELECT 1 FROM idempotency_keys WHERE key = $1', [storedKey]);
        return claims.length === 1 ? true : undefined;
      });
      first.child.kill('SIGKILL');
      expect(await doomed).toBe('connection lost');

      // Its process is gone, so is its presence lock: the claim is free, with no minute to wait.
      const second = await start();
      const retried = await placeOrder(second, key);
      expect(retried.status).toBe(201);
      const replayed = await placeOrder(second, key);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(await replayed.json()).toEqual(await retried.json());
    },
    60_000,
  );

  describe('faults at the worst moment (docs/operations.md, "What happens when…")', () => {
    /** Places an order for `userId` and returns its id. */
    const placeFor = async (service: ServiceProcess, userId: string) => {
      const response = await placeOrder(service, uniqueKey(userId), orderBody({ userId }));
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    const statuses = async (ids: readonly string[]) =>
      query<{ id: string; status: string }>(
        'SELECT id, status FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id',
        [ids],
      );
    const lastChange = async (id: string) =>
      (
        await query<{ to_status: string; reason: string | null }>(
          'SELECT to_status, reason FROM order_status_history WHERE order_id = $1 ORDER BY id DESC LIMIT 1',
          [id],
        )
      )[0];
    const allAwaitingPayment = (ids: readonly string[]) =>
      eventually(async () =>
        (await statuses(ids)).every((order) => order.status === 'AWAITING_PAYMENT')
          ? true
          : undefined,
      );

    it.skipIf(!process.env.DATABASE_URL)(
      'keeps running when every database connection is terminated mid-sweep (a failover), and later sweeps settle the orders (real PostgreSQL: PGlite has no backends to terminate)',
      async () => {
        const service = await start({
          SIMULATED_PAYMENT_DELAY_MS: '600000',
          PAYMENT_TIMEOUT: '1s',
          RECONCILIATION_INTERVAL: '100ms',
          // Each question to the payment service takes 300 ms: a sweep of four orders is busy for a while.
          SIMULATED_PEER_LATENCY_MS: '300',
        });
        const ids = await Promise.all(
          [1, 2, 3, 4].map((n) => placeFor(service, `paylost-failover-${n}`)),
        );
        await allAwaitingPayment(ids);

        // For three seconds, from the moment the orders become overdue: terminate every session the
        // service has, the sweep's included, every 100 ms.
        const until = Date.now() + 3_000;
        while (Date.now() < until) {
          await query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()`,
          );
          await sleep(100);
        }

        expect(service.child.exitCode).toBeNull();
        expect((await fetch(`${service.baseUrl}/healthz`)).status).toBe(200);
        await eventually(
          async () =>
            (await statuses(ids)).every((order) => order.status === 'CANCELLED') ? true : undefined,
          20_000,
        );
      },
      60_000,
    );

    it('leaves no order awaiting payment for ever after kill -9 mid-payment: the next process settles each from the payment service’s record', async () => {
      // The process dies before any payment callback arrives.
      const first = await start({ SIMULATED_PAYMENT_DELAY_MS: '600000' });
      const paid = await placeFor(first, 'kill-mid-payment');
      const declined = await placeFor(first, 'payfail-kill-mid-payment');
      const pending = await placeFor(first, 'paylost-kill-mid-payment');
      const forgotten = await placeFor(first, 'forgotten-by-provider');
      const ids = [paid, declined, pending, forgotten];
      await allAwaitingPayment(ids);
      first.child.kill('SIGKILL');
      await first.exited;
      expect((await statuses(ids)).map((order) => order.status)).toEqual(
        Array(4).fill('AWAITING_PAYMENT'),
      );
      // Meanwhile the payment service decided the payments (their callbacks died with the process), and
      // lost one altogether.
      await query('UPDATE simulated_payments SET settles_at = now() WHERE outcome IS NOT NULL');
      await query('DELETE FROM simulated_payments WHERE order_id = $1', [forgotten]);

      await start({ PAYMENT_TIMEOUT: '1s', RECONCILIATION_INTERVAL: '200ms' });
      await eventually(
        async () =>
          (await statuses(ids)).some((order) => order.status === 'AWAITING_PAYMENT')
            ? undefined
            : true,
        30_000,
      );
      expect(await lastChange(paid)).toEqual({ to_status: 'PAID', reason: null });
      expect(await lastChange(declined)).toEqual({
        to_status: 'PAYMENT_FAILED',
        reason: 'card_declined',
      });
      expect(await lastChange(pending)).toEqual({
        to_status: 'CANCELLED',
        reason: 'payment_timeout',
      });
      expect(await lastChange(forgotten)).toEqual({
        to_status: 'PAYMENT_FAILED',
        reason: 'payment_unknown',
      });
    }, 90_000);

    it('on SIGTERM closes a connection stalled mid-upload and an idle one, finishes the complete request, and exits 0 in time', async () => {
      const shutdownTimeoutMs = 5_000;
      const service = await start({
        SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
        SIMULATED_PEER_LATENCY_MS: '1000',
      });
      const complete = postJson(
        new Agent({ keepAlive: false }),
        `${service.baseUrl}/api/v1/orders`,
        orderBody(),
        {
          'idempotency-key': uniqueKey('complete'),
          'x-request-id': 'complete-upload',
          ...(await bearer()),
        },
      );
      // Headers and the first bytes of a 500-byte body, then nothing more.
      const stalled = connect(service.port, '127.0.0.1');
      stalled.on('error', () => undefined);
      stalled.write(
        [
          'POST /api/v1/orders HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          'Content-Length: 500',
          `Idempotency-Key: ${uniqueKey('stalled')}`,
          `Authorization: ${(await bearer()).authorization}`,
          'X-Request-Id: stalled-upload',
          '',
          '{"userId":',
        ].join('\r\n'),
      );
      const idle = connect(service.port, '127.0.0.1');
      idle.on('error', () => undefined);
      const closedByServer = (socket: typeof idle) =>
        new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
      const stalledClosed = closedByServer(stalled);
      const idleClosed = closedByServer(idle);
      await service.waitForOutput('"reqId":"stalled-upload"');
      await service.waitForOutput('"reqId":"complete-upload"');

      const signalledAt = Date.now();
      service.child.kill('SIGTERM');
      const exit = await service.exited;

      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(shutdownTimeoutMs);
      expect((await complete).status).toBe(201);
      expect(await stalledClosed).toBe(true);
      expect(await idleClosed).toBe(true);
    }, 60_000);
  });
});

/** True when nothing accepts a TCP connection on the loopback `port`. */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** POST a JSON body through `agent` (node:http, so the test decides whether the connection stays open). */
function postJson(
  agent: Agent,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}
