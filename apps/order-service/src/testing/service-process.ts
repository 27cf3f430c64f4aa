import { fileURLToPath } from 'node:url';
import { routePaths } from '@mallhive/order-contracts';
import { runUntilExit, startListening, type Exit, type NodeProcess } from '@mallhive/testing';

/**
 * The real service as a child process (`node --import ./src/instrument.ts src/main.ts`, as `nx serve` and
 * the container run it).
 */
const service = (env: Record<string, string>) => ({
  name: 'order-service',
  script: fileURLToPath(new URL('../main.ts', import.meta.url)),
  nodeOptions: ['--import', fileURLToPath(new URL('../instrument.ts', import.meta.url))],
  cwd: fileURLToPath(new URL('../..', import.meta.url)),
  env,
});

/** Runs the service with `env` and waits for it to end by itself (a start-up refusal). */
export function runServiceUntilExit(
  env: Record<string, string>,
  timeoutMs?: number,
): Promise<Exit & { stdout: string; stderr: string }> {
  return runUntilExit(service(env), timeoutMs);
}

/**
 * Starts the service on a free loopback port with `env` and resolves once `/readyz` answers 200 (database
 * reachable, migrations applied).
 */
export function startServiceProcess(
  env: Record<string, string>,
  readyTimeoutMs?: number,
): Promise<NodeProcess> {
  return startListening({
    ...service({ HOST: '127.0.0.1', ...env }),
    readyPath: routePaths.readiness,
    ...(readyTimeoutMs === undefined ? {} : { readyTimeoutMs }),
  });
}
