// What a deploy would change, published before the prod approval: `cdk diff` of every stack of the
// environment and the diff of the Kubernetes objects, plus the stack's baseline for the deploy job.
// Usage: node tools/delivery/src/cli/preview.ts --env prod --tag <sha> --digest sha256:... [--out dir]
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { assertDigest, assertTag, formatImageVersion } from '../image/image-ref.ts';
import {
  describeManifestDiff,
  manifestDiff,
  type CloudFormationTemplate,
} from '../preview/manifest-diff.ts';
import { cdkDiffArgs, runCdk } from '../stack/cdk.ts';
import { Stacks } from '../stack/cloudformation.ts';
import { deployedImage, platformStackName, stackBaseline } from '../stack/platform-stack.ts';
import { writeOutputs, writeSummary } from '../summary/github.ts';
import { environmentName, infraDir, requiredEnv, runMain } from './cli.ts';

runMain('preview', async () => {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      tag: { type: 'string' },
      digest: { type: 'string' },
      out: { type: 'string', default: 'preview' },
    },
  });
  const env = environmentName(values.env);
  const image = { tag: assertTag(values.tag ?? ''), digest: assertDigest(values.digest ?? '') };
  const stacks = new Stacks(requiredEnv('AWS_REGION'));
  const stackName = platformStackName(env);

  const stack = await stacks.describe(stackName);
  const running = deployedImage(stack);
  const cdkDiff = await runCdk(cdkDiffArgs(env, image), infraDir);
  const proposed = JSON.parse(
    await readFile(join(infraDir, 'cdk.out', `${stackName}.template.json`), 'utf8'),
  ) as CloudFormationTemplate;
  const kubernetes = manifestDiff(await stacks.deployedTemplate(stackName), proposed);

  await mkdir(values.out, { recursive: true });
  await writeFile(join(values.out, 'cdk-diff.txt'), cdkDiff);
  await writeFile(join(values.out, 'kubernetes.diff'), kubernetes.patch);
  await writeSummary(
    [
      `## What deploying to ${env} changes`,
      '',
      `- Image: \`${running?.digest ? formatImageVersion({ tag: running.tag!, digest: running.digest }) : (running?.tag ?? 'none')}\` → \`${formatImageVersion(image)}\``,
      `- Stack ${stackName}: ${stackBaseline(stack)} (the deploy refuses to run if this changes before it)`,
      '',
      '### Kubernetes objects',
      '',
      describeManifestDiff(kubernetes),
      '<details><summary>cdk diff (every stack of the environment)</summary>',
      '',
      '```text',
      cdkDiff.trim().slice(-60_000),
      '```',
      '',
      '</details>',
      '',
    ].join('\n'),
  );
  await writeOutputs({ baseline: stackBaseline(stack) });
});
