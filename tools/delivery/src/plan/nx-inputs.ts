import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The targets whose inputs decide a deploy: what the image and the template are built from. */
export const deploymentTargets = {
  image: 'order-service:container',
  infrastructure: 'infra-aws:synth',
} as const;

/** The files Nx resolves as inputs of a target (`nx show target inputs`), from the project graph. */
export async function targetInputFiles(target: string, cwd: string): Promise<string[]> {
  const { stdout } = await run('npx', ['nx', 'show', 'target', 'inputs', target, '--json'], {
    cwd,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const parsed = JSON.parse(stdout) as { files?: unknown };
  if (!Array.isArray(parsed.files))
    throw new Error(`nx show target inputs ${target}: no file list`);
  return parsed.files as string[];
}

/** Whether `commit` is in the history of `head` (and exists at all). */
export async function isAncestor(commit: string, head: string, cwd: string): Promise<boolean> {
  try {
    await run('git', ['merge-base', '--is-ancestor', commit, head], { cwd });
    return true;
  } catch {
    return false;
  }
}

/** Git's empty tree: the base of a first deploy, against which every file has changed. */
export const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** Files that differ between two commits. */
export async function changedFiles(base: string, head: string, cwd: string): Promise<string[]> {
  const { stdout } = await run('git', ['diff', '--name-only', base, head], { cwd });
  return stdout.split('\n').filter((line) => line !== '');
}
