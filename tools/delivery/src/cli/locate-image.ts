// Finds the image a deploy ships, in this account's registry, and records it as step outputs.
//   --built <sha>            the image the build step pushed for this commit
//   --deployed               the image the environment's stack runs (infrastructure-only commits)
//   --tag <sha> --digest <d> the image dev ran, waiting (--wait) until replication brings it here
import { parseArgs } from 'node:util';
import { assertDigest, assertTag, pinnedReference, type ImageRef } from '../image/image-ref.ts';
import { Registry } from '../image/registry.ts';
import { Stacks } from '../stack/cloudformation.ts';
import { deployedImage, platformStackName } from '../stack/platform-stack.ts';
import { writeOutputs, writeSummary } from '../summary/github.ts';
import { duration, environmentName, requiredEnv, runMain, sleep } from './cli.ts';

runMain('locate-image', async () => {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      built: { type: 'string' },
      deployed: { type: 'boolean', default: false },
      tag: { type: 'string' },
      digest: { type: 'string' },
      wait: { type: 'string', default: '0s' },
    },
  });
  const env = environmentName(values.env);
  const region = requiredEnv('AWS_REGION');
  const registry = new Registry(region);
  let image: ImageRef | undefined;
  let how: string;

  if (values.built) {
    const tag = assertTag(values.built);
    image = await registry.find({ imageTag: tag });
    if (!image)
      throw new Error(
        `no image tagged ${tag} in ${registry.repositoryName}: did the push step run?`,
      );
    how = 'built and pushed for this commit';
  } else if (values.deployed) {
    const running = deployedImage(await new Stacks(region).describe(platformStackName(env)));
    if (!running?.tag)
      throw new Error(`${platformStackName(env)} records no deployed image: build one first`);
    image = await registry.find(
      running.digest ? { imageDigest: running.digest } : { imageTag: running.tag },
    );
    if (!image)
      throw new Error(
        `the image ${env} runs (${running.tag}) is no longer in ${registry.repositoryName}`,
      );
    how = `already running in ${env} (this commit changes infrastructure only)`;
  } else {
    const tag = assertTag(values.tag ?? '', 'tag');
    const digest = assertDigest(values.digest ?? '');
    const deadline = Date.now() + duration(values.wait, 'wait');
    // Replication from the build account is asynchronous: wait for the very digest, never a rebuild.
    for (;;) {
      image = await registry.find({ imageDigest: digest });
      if (image || Date.now() >= deadline) break;
      console.error(
        `locate-image: ${digest} not in ${env}'s registry yet, waiting for replication`,
      );
      await sleep(15_000);
    }
    if (!image)
      throw new Error(
        `${digest} did not reach ${env}'s ${registry.repositoryName} within ${values.wait}`,
      );
    image = { ...image, tag };
    how = `replicated from the build account, same digest`;
  }

  const reference = pinnedReference(image);
  await writeSummary(
    [
      `### Image for ${env}`,
      '',
      `- Reference: \`${reference}\``,
      `- Commit: \`${image.tag}\``,
      `- Source: ${how}`,
      '',
    ].join('\n'),
  );
  await writeOutputs({
    tag: image.tag,
    digest: image.digest,
    repository: image.repository,
    reference,
  });
});
