/**
 * `nx run order-service:openapi`: writes the OpenAPI document the service serves to
 * docs/contracts/order-service.openapi.json. It builds the real service (embedded database, simulated
 * peers) and asks it for `/openapi.json`, so the file is exactly what clients are served.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/config.ts';
import { createServer } from '../server.ts';
import {
  committedOpenApiPath,
  documentedIdentityEnv,
  formatOpenApiDocument,
} from './openapi-document.ts';
import { routePaths } from '@mallhive/order-contracts';

const dataDir = await mkdtemp(join(tmpdir(), 'order-service-openapi-'));
try {
  const server = await createServer(
    loadConfig({
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      EMBEDDED_DB_DIR: dataDir,
      // Its own development issuer and metrics on free ports: a running `npm start` is no obstacle.
      DEV_ISSUER_DIR: join(dataDir, 'dev-issuer'),
      DEV_ISSUER_PORT: '0',
      METRICS_PORT: '0',
      ...documentedIdentityEnv,
    }),
  );
  try {
    const served = await server.app.inject({ method: 'GET', url: routePaths.openapi });
    if (served.statusCode !== 200)
      throw new Error(`${routePaths.openapi} answered ${served.statusCode}`);
    await writeFile(committedOpenApiPath, await formatOpenApiDocument(served.json()));
    process.stdout.write(`wrote ${committedOpenApiPath}\n`);
  } finally {
    await server.stop();
  }
} catch (error) {
  process.stderr.write(
    `could not write the OpenAPI document. ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
