import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const SERVICE = fileURLToPath(new URL('./bench-service-process.ts', import.meta.url));

/** The benchmark's service in a process of its own (bench-service-process.ts), listening on `url`. */
export interface ServiceChild {
  readonly url: string;
  /** CPU time (user + system) the process has used so far, in µs. */
  cpuMicros(): Promise<number>;
  /** Stops the service gracefully (it flushes its spans) and waits for the process to exit. */
  stop(): Promise<void>;
}

/**
 * Forks the service with `env` as its whole configuration (plus PATH) and Node's `execArgv`; resolves once
 * it listens. A child that exits before that rejects, naming `label`.
 */
export async function forkService(options: {
  label: string;
  env: Record<string, string>;
  execArgv?: readonly string[];
}): Promise<ServiceChild> {
  const child = fork(SERVICE, [], {
    execArgv: [...(options.execArgv ?? [])],
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`benchmark service (${options.label}) exited with ${String(code)}`);
    }),
  ])) as [{ url: string }];
  return {
    url: message.url,
    async cpuMicros() {
      const reply = once(child, 'message') as Promise<[{ cpuMicros: number }]>;
      child.send('cpu');
      return (await reply)[0].cpuMicros;
    },
    async stop() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
