import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A Node script as a child process of the test run, started with this Node (24) the way `nx serve` and
 * the container start it — for the tests that only a whole process can answer: start-up refusals,
 * signals, crashes, and the end-to-end tests that run several services.
 */

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface NodeScript {
  /** For messages, e.g. `order-service`. */
  readonly name: string;
  /** Absolute path of the entry point. */
  readonly script: string;
  /** Node options before the script, e.g. `['--import', '<preload>']` as the service is started. */
  readonly nodeOptions?: readonly string[];
  /** The working directory (the project's folder, as `nx serve` uses). */
  readonly cwd: string;
  /** The whole environment of the process, besides PATH. */
  readonly env: Record<string, string>;
}

export interface NodeProcess {
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
  /** Asks the process to end (SIGTERM) and waits; SIGKILL if it has not ended after `graceMs`. */
  stop(graceMs?: number): Promise<Exit>;
  /** Ends the process at once (SIGKILL) if it is still running, and waits for it. */
  kill(): Promise<Exit>;
}

/**
 * Only the variables given, plus PATH: the test runner's own environment (NODE_ENV=test, a DATABASE_URL
 * meant for the test harness) must not leak into the configuration under test.
 */
function spawnScript({ script, nodeOptions = [], cwd, env }: NodeScript) {
  const child = spawn(process.execPath, [...nodeOptions, script], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
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

/** Runs the script and waits for it to end by itself (a start-up refusal). */
export async function runUntilExit(
  script: NodeScript,
  timeoutMs = 15_000,
): Promise<Exit & { stdout: string; stderr: string }> {
  const run = spawnScript(script);
  const deadline = sleep(timeoutMs).then(() => 'timeout' as const);
  const outcome = await Promise.race([run.exited, deadline]);
  if (outcome === 'timeout') {
    run.child.kill('SIGKILL');
    throw new Error(`${script.name} was still running after ${timeoutMs} ms:\n${run.stderr()}`);
  }
  return { ...outcome, stdout: run.stdout(), stderr: run.stderr() };
}

/** A port nobody listens on right now (a service does not report the port PORT=0 gave it). */
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
 * Starts the script with `PORT` set to a free loopback port and resolves once `readyPath` answers 200.
 * Fails with the process's output if it ends or is not ready in time.
 */
export async function startListening(
  script: NodeScript & { readonly readyPath: string; readonly readyTimeoutMs?: number },
): Promise<NodeProcess> {
  const readyTimeoutMs = script.readyTimeoutMs ?? 30_000;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const run = spawnScript({ ...script, env: { ...script.env, PORT: String(port) } });
  let ended: Exit | undefined;
  void run.exited.then((exit) => (ended = exit));

  const started: NodeProcess = {
    baseUrl,
    port,
    child: run.child,
    exited: run.exited,
    stdout: run.stdout,
    stderr: run.stderr,
    async waitForOutput(text, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!run.stdout().includes(text)) {
        if (ended) throw new Error(`${script.name} ended before printing "${text}"`);
        if (Date.now() > deadline) throw new Error(`${script.name} did not print "${text}"`);
        await sleep(10);
      }
    },
    async stop(graceMs = 15_000) {
      if (ended) return ended;
      run.child.kill('SIGTERM');
      const timer = setTimeout(() => run.child.kill('SIGKILL'), graceMs);
      const exit = await run.exited;
      clearTimeout(timer);
      return exit;
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
        `${script.name} exited (${ended.code ?? ended.signal}) before it was ready:\n${run.stderr()}${run.stdout()}`,
      );
    }
    if (Date.now() > deadline) {
      await started.kill();
      throw new Error(
        `${script.name} was not ready within ${readyTimeoutMs} ms:\n${run.stderr()}${run.stdout()}`,
      );
    }
    const ready = await fetch(`${baseUrl}${script.readyPath}`).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status === 200;
      },
      () => false,
    );
    if (ready) return started;
    await sleep(50);
  }
}
