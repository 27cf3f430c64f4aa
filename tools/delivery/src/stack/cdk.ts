import { spawn } from 'node:child_process';
import type { DeployableImage } from '../deploy/deployment.ts';
import { platformStackName } from './platform-stack.ts';

/** The context that selects the environment and the image (infra/aws src/app.ts reads it). */
function imageContext(env: string, image: DeployableImage | undefined): string[] {
  return [
    '-c',
    `env=${env}`,
    ...(image ? ['-c', `imageTag=${image.tag}`] : []),
    ...(image?.digest ? ['-c', `imageDigest=${image.digest}`] : []),
  ];
}

/**
 * Deploys only the platform stack (`--exclusively`): the pipeline never deploys the bootstrap stack
 * that holds its own identity. Approval happened in GitHub; cdk must not prompt in CI.
 */
export function cdkDeployArgs(env: string, image: DeployableImage): string[] {
  return [
    'cdk',
    'deploy',
    platformStackName(env),
    '--exclusively',
    '--require-approval',
    'never',
    '--progress',
    'events',
    ...imageContext(env, image),
  ];
}

/**
 * Diffs every stack of the environment against what is deployed, comparing templates (the read-only
 * CDK lookup role suffices; a change-set diff would need the deploy role). Never fails on a diff.
 */
export function cdkDiffArgs(env: string, image: DeployableImage | undefined): string[] {
  return ['cdk', 'diff', '--method', 'template', '--fail-on', 'never', ...imageContext(env, image)];
}

/** Runs the CDK CLI of infra/aws, echoing its output to stderr and returning it. */
export function runCdk(args: readonly string[], infraDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', args, {
      cwd: infraDir,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else
        reject(
          new Error(
            `npx ${args.slice(0, 2).join(' ')} exited ${code}:\n${output.split('\n').slice(-15).join('\n')}`,
          ),
        );
    });
  });
}
