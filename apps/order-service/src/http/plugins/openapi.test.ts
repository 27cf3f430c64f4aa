import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../testing/test-server.ts';
import { startTestServer } from '../../testing/test-server.ts';
import { committedOpenApiPath, documentedIdentityEnv } from '../openapi-document.ts';
import { statusOf } from '../problem.ts';
import type { ProblemCode } from '../problem.ts';
import { routePaths } from '@mallhive/order-contracts';

interface Operation {
  operationId?: string;
  description?: string;
  responses: Record<
    string,
    { content?: Record<string, { schema: { properties?: { code?: { enum?: string[] } } } }> }
  >;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

let t: TestServer;
let served: OpenApiDocument;
beforeAll(async () => {
  t = await startTestServer({ env: documentedIdentityEnv });
  const response = await t.server.app.inject({ url: routePaths.openapi });
  expect(response.statusCode).toBe(200);
  served = response.json();
});
afterAll(async () => {
  await t.stop();
});

const operations = () =>
  Object.entries(served.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );

/** Redocly CLI (the dev dependency) on `document`, in a directory without config or ignore file. */
async function redoclyLint(document: unknown) {
  const directory = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  try {
    await writeFile(join(directory, 'openapi.json'), JSON.stringify(document));
    const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'lint', 'openapi.json', '--extends', 'recommended', '--format', 'json'],
      { cwd: directory, env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' } },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    return JSON.parse(stdout) as {
      totals: { errors: number; warnings: number; ignored: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe('the OpenAPI document', () => {
  it('passes Redocly’s recommended rules with no ignore file', async () => {
    const report = await redoclyLint(served);
    // Every rule, security-defined included: each operation names how it is authenticated.
    expect(
      report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`),
    ).toEqual([]);
    expect(report.totals.ignored).toBe(0);
  });

  it('is committed as served (regenerate with `npx nx run order-service:openapi`)', async () => {
    const committed: unknown = JSON.parse(await readFile(committedOpenApiPath, 'utf8'));
    expect(committed, 'docs/contracts/order-service.openapi.json is stale').toEqual(served);
  });

  it('names and describes every operation with a unique operationId', () => {
    const ids = operations().map(({ operation }) => operation.operationId);
    // The callback (no token) is registered before the authenticated routes.
    expect(ids).toEqual([
      'receivePaymentOutcome',
      'placeOrder',
      'getOrder',
      'cancelOrder',
      'startFulfilment',
      'recordShipment',
      'recordDelivery',
      'listUserOrders',
    ]);
    for (const { operation } of operations()) expect(operation.description).toBeTruthy();
  });

  it('documents each error code under the status the stable table gives it', () => {
    for (const { path, method, operation } of operations()) {
      const errors = Object.entries(operation.responses).filter(([status]) => status >= '400');
      expect(errors.length, `${method} ${path} documents no errors`).toBeGreaterThan(0);
      for (const [status, response] of errors) {
        const codes =
          response.content?.['application/problem+json']?.schema.properties?.code?.enum ?? [];
        expect(codes.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
        for (const code of codes) expect(String(statusOf[code as ProblemCode])).toBe(status);
      }
    }
  });
});
