import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { routePaths } from '@mallhive/order-contracts';

/**
 * The real service as a child process (`node src/main.ts`, as `nx serve` and the container run it), for
 * the tests that only a whole process can answer: start-up refusals, signals, crashes.
 */

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Settles when the process has ended, however it ended. */
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout contains `text` (e.g. a log line); rejects if the process ends first. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Ends the process if it is still running (SIGKILL) and waits for it. */
  kill(): Promise<Exit>;
}

/**
 * Only the variables given, plus PATH: the test runner's own environment (NODE_ENV=test, a DATABASE_URL
 * meant for the test harness) must not leak into the configuration under test.
 */
function childEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', ...env };
}

function spawnService(env: Record<string, string>) {
  const child = spawn(process.execPath, [MAIN], {
    cwd: APP_DIR,
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs the service with `env` and waits for it to end by itself (a start-up refusal). */
export async function runServiceUntilExit(
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<Exit & { stdout: string; stderr: string }> {
  const run = spawnService(env);
  const deadline = sleep(timeoutMs).then(() => 'timeout' as const);
  const outcome = await Promise.race([run.exited, deadline]);
  if (outcome === 'timeout') {
    run.child.kill('SIGKILL');
    throw new Error(`the service was still running after ${timeoutMs} ms:\n${run.stderr()}`);
  }
  return { ...outcome, stdout: run.stdout(), stderr: run.stderr() };
}

/** A port nobody listens on right now (the service does not report the port PORT=0 gave it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  probe.close();
  await once(probe, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
  return address.port;
}

/**
 * Starts the service on a free loopback port with `env` and resolves once `/readyz` answers 200 (database
 * reachable, migrations applied). Fails with the process's output if it ends or is not ready in time.
 */
export async function startServiceProcess(
  env: Record<string, string>,
  readyTimeoutMs = 30_000,
): Promise<ServiceProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const run = spawnService({ HOST: '127.0.0.1', ...env, PORT: String(port) });
  let ended: Exit | undefined;
  void run.exited.then((exit) => (ended = exit));

  const service: ServiceProcess = {
    baseUrl,
    port,
    child: run.child,
    exited: run.exited,
    stdout: run.stdout,
    stderr: run.stderr,
    async waitForOutput(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!run.stdout().includes(text)) {
        if (ended) throw new Error(`the service ended before printing "${text}"`);
        if (Date.now() > deadline) throw new Error(`the service did not print "${text}"`);
        await sleep(10);
      }
    },
    async kill() {
      if (!ended) run.child.kill('SIGKILL');
      return run.exited;
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (ended) {
      throw new Error(
        `the service exited (${ended.code ?? ended.signal}) before it was ready:\n${run.stderr()}${run.stdout()}`,
      );
    }
    if (Date.now() > deadline) {
      await service.kill();
      throw new Error(`the service was not ready within ${readyTimeoutMs} ms:\n${run.stdout()}`);
    }
    const ready = await fetch(`${baseUrl}${routePaths.readiness}`).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status === 200;
      },
      () => false,
    );
    if (ready) return service;
    await sleep(50);
  }
}
