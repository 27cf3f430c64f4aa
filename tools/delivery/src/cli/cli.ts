import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root, whatever the working directory (Nx runs commands from the root). */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const infraDir = fileURLToPath(new URL('../../../../infra/aws/', import.meta.url));

/** Runs a command-line tool: a bad argument or a failure ends it with one clear line and exit 1. */
export function runMain(name: string, main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

export function environmentName(value: string | undefined): 'dev' | 'prod' {
  const env = value ?? process.env['DEPLOY_ENV'] ?? 'dev';
  if (env !== 'dev' && env !== 'prod')
    throw new Error(`environment must be dev or prod, got "${env}"`);
  return env;
}

/** `90s`, `15m`, `1h` in milliseconds. */
export function duration(value: string, name: string): number {
  const match = /^(\d+)(s|m|h)$/.exec(value);
  if (!match) throw new Error(`${name} must be a duration such as 90s, 15m or 1h, got "${value}"`);
  return Number(match[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The image tag of the working tree: its commit, refusing uncommitted changes (scripts/image-tag.sh). */
export async function commitTag(): Promise<string> {
  const { stdout } = await promisify(execFile)('sh', ['tools/delivery/scripts/image-tag.sh'], {
    cwd: repoRoot,
  });
  return stdout.trim();
}
