import { once } from 'node:events';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { routePaths } from '@mallhive/order-contracts';
import type { NodeProcess, TestDatabase } from '@mallhive/testing';
import { startServiceProcess } from './testing/service-process.ts';
import { createTestDatabase } from './testing/test-database.ts';
import { authEnvironment, TestIssuer } from './testing/test-issuer.ts';

/**
 * Slow clients against the real process on a real socket: a client that stalls or trickles is cut off
 * when its time is up, and idle keep-alive connections are closed. The timeouts are shortened here so the
 * spec runs in seconds; the production values and why they are what they are: config/http-settings.ts
 * and docs/security.md (their relation to the ALB's idle timeout is pinned in infra/k8s).
 */

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 4_000;
const KEEP_ALIVE_TIMEOUT_MS = 1_500;
/** Node looks for overdue requests once a second (http/app.ts); a timeout fires within that of its time. */
const CHECK_INTERVAL_MS = 1_000;
/** Slack for a shared, busy machine — far below the "for ever" these connections used to get. */
const SLACK_MS = 2_000;

let database: TestDatabase;
let issuer: TestIssuer;
let service: NodeProcess;
let authorization: string;

beforeAll(async () => {
  [database, issuer] = await Promise.all([createTestDatabase(), TestIssuer.start()]);
  authorization = `Bearer ${await issuer.customer('stall')}`;
  service = await startServiceProcess({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    LOG_LEVEL: 'warn',
    METRICS_PORT: '0',
    ...authEnvironment(issuer),
    HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
  });
});
afterAll(async () => {
  await service?.kill();
  await Promise.all([database?.drop(), issuer?.close()]);
});

/** A raw TCP client: what it was sent back, and when the server closed the connection. */
async function rawClient() {
  const socket: Socket = connect(service.port, '127.0.0.1');
  await once(socket, 'connect');
  const openedAt = Date.now();
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => undefined);
  const closed = once(socket, 'close').then(() => Date.now() - openedAt);
  onTestFailed(() => console.error(`received:\n${received}\nservice:\n${service.stderr()}`));
  return { socket, closed, received: () => received };
}

const expectRequestTimeoutAnswer = (received: string) => {
  expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  expect(received).toContain('Content-Type: application/problem+json');
  expect(JSON.parse(received.split('\r\n\r\n')[1] ?? '')).toMatchObject({
    status: 408,
    code: 'request_timeout',
  });
};

describe('slow clients', () => {
  it('cuts off a client that stalls mid-body once the request timeout is up, with a 408', async () => {
    const client = await rawClient();
    client.socket.write(
      'POST /api/v1/orders HTTP/1.1\r\nHost: order\r\nContent-Type: application/json\r\n' +
        `Idempotency-Key: stalled-1\r\nAuthorization: ${authorization}\r\n` +
        'Content-Length: 1000\r\n\r\n{"userId":"stall',
    );
    // Meanwhile the service answers everyone else.
    expect((await fetch(`${service.baseUrl}${routePaths.health}`)).status).toBe(200);

    const closedAfterMs = await client.closed;
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + CHECK_INTERVAL_MS + SLACK_MS);
    expectRequestTimeoutAnswer(client.received());
  });

  it('cuts off a client that trickles its headers once the headers timeout is up, however busy it looks', async () => {
    const client = await rawClient();
    const request = 'GET /healthz HTTP/1.1\r\nHost: order\r\nX-Slow: ' + 'a'.repeat(200);
    let stopped = false;
    void client.closed.then(() => (stopped = true));
    for (const byte of request) {
      if (stopped) break;
      client.socket.write(byte);
      await sleep(50);
    }

    const closedAfterMs = await client.closed;
    expect(closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    // Well before the request timeout: it is the headers timeout that ended it.
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS);
    expectRequestTimeoutAnswer(client.received());
  });

  it('cuts off a client that connects and says nothing once the headers timeout is up', async () => {
    const client = await rawClient();
    const closedAfterMs = await client.closed;
    expect(closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS);
    expectRequestTimeoutAnswer(client.received());
  });

  it('keeps an idle keep-alive connection for the keep-alive timeout, then closes it', async () => {
    const client = await rawClient();
    const get = 'GET /healthz HTTP/1.1\r\nHost: order\r\n\r\n';
    client.socket.write(get);
    await sleep(KEEP_ALIVE_TIMEOUT_MS / 2);
    // Still open within the timeout: the second request is served on the same connection.
    client.socket.write(get);
    await sleep(200);
    const answers = client.received().match(/HTTP\/1\.1 200 OK/g) ?? [];
    expect(answers).toHaveLength(2);
    expect(client.received()).toContain('Keep-Alive: timeout=1');
    const secondAnsweredAfterMs = KEEP_ALIVE_TIMEOUT_MS / 2 + 200;

    const closedAfterMs = await client.closed;
    expect(closedAfterMs).toBeGreaterThanOrEqual(
      secondAnsweredAfterMs + KEEP_ALIVE_TIMEOUT_MS - 250,
    );
    expect(closedAfterMs).toBeLessThan(secondAnsweredAfterMs + KEEP_ALIVE_TIMEOUT_MS + SLACK_MS);
  });
});

describe('what Node refuses before any route sees it', () => {
  const answerTo = async (bytes: string) => {
    const client = await rawClient();
    client.socket.write(bytes);
    await client.closed;
    const [head, body] = client.received().split('\r\n\r\n') as [string, string];
    expect(head).toContain('Content-Type: application/problem+json');
    expect(head).toContain('X-Content-Type-Options: nosniff');
    return { statusLine: head.split('\r\n')[0], problem: JSON.parse(body) as unknown };
  };

  it('answers headers over 16 KiB with 431 headers_too_large', async () => {
    const answer = await answerTo(
      `GET /healthz HTTP/1.1\r\nHost: order\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
    );
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(answer.problem).toMatchObject({ status: 431, code: 'headers_too_large' });
  });

  it('answers bytes that are not HTTP with 400 malformed_request', async () => {
    const answer = await answerTo('HELLO THERE\r\n\r\n');
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.problem).toMatchObject({ status: 400, code: 'malformed_request' });
  });
});
