// nx run order-service:deploy, and the deploy jobs of .github/workflows/deploy.yml: cdk deploy by
// digest, wait for the rollout (new ReplicaSet available, ALB targets healthy), and on failure
// report the failed pods and redeploy the previous digest. Exits non-zero unless the rollout passed.
//
// The image: --image <sha>@sha256:... (a rollback or promotion by hand), --image deployed (keep the
// running image: an infrastructure-only deploy), IMAGE_TAG and IMAGE_DIGEST (CI), or else the image
// that `nx run order-service:push` pushed for the checked-out commit.
import { parseArgs } from 'node:util';
import {
  deployWithRollback,
  deploymentSucceeded,
  describeOutcome,
  type DeployableImage,
} from '../deploy/deployment.ts';
import {
  assertDigest,
  assertTag,
  parseImageVersion,
  type ImageVersion,
} from '../image/image-ref.ts';
import { Registry } from '../image/registry.ts';
import { connectToCluster, podDiagnostics, rolloutObserver } from '../rollout/kubernetes.ts';
import { orderServiceWorkload } from '../rollout/order-service-workload.ts';
import { waitForRollout } from '../rollout/rollout-gate.ts';
import { cdkDeployArgs, runCdk } from '../stack/cdk.ts';
import { Stacks } from '../stack/cloudformation.ts';
import {
  deployedImage,
  platformStackName,
  serviceLocation,
  stackBaseline,
} from '../stack/platform-stack.ts';
import { writeOutputs, writeSummary } from '../summary/github.ts';
import {
  commitTag,
  duration,
  environmentName,
  infraDir,
  requiredEnv,
  runMain,
  sleep,
} from './cli.ts';

runMain('deploy', async () => {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      image: { type: 'string' },
      timeout: { type: 'string', default: process.env['ROLLOUT_TIMEOUT'] ?? '15m' },
      // The stack's state when the approved diff was computed (CI: EXPECT_STACK_BASELINE).
      'expect-baseline': { type: 'string', default: process.env['EXPECT_STACK_BASELINE'] },
      'no-rollback': { type: 'boolean', default: false },
    },
  });
  const env = environmentName(values.env);
  const region = requiredEnv('AWS_REGION');
  const timeoutMs = duration(values.timeout, 'timeout');
  const stacks = new Stacks(region);
  const stackName = platformStackName(env);
  const stack = await stacks.describe(stackName);
  const next = await imageToDeploy(values.image, region, deployedImage(stack));

  const expected = values['expect-baseline'];
  if (expected && stackBaseline(stack) !== expected) {
    throw new Error(
      `${stackName} changed since the diff that was approved (${expected} → ${stackBaseline(stack)}): re-run the workflow to approve a fresh diff`,
    );
  }
  const previous = deployedImage(stack);
  const request = {
    next,
    previous: previous?.tag ? (previous as DeployableImage) : undefined,
    rollBack: !values['no-rollback'],
  };

  const outcome = await deployWithRollback(request, {
    deployStack: async (image) => {
      await runCdk(cdkDeployArgs(env, image), infraDir);
    },
    waitForRollout: async (image) => {
      const location = serviceLocation((await stacks.describe(stackName)) ?? {});
      const apis = await connectToCluster(location.clusterName, region);
      return waitForRollout(
        {
          container: orderServiceWorkload.container,
          service: orderServiceWorkload.service,
          image: reference(location.repositoryUri, image),
        },
        {
          observe: rolloutObserver(
            apis,
            region,
            location.namespace,
            orderServiceWorkload.deployment,
          ),
          now: Date.now,
          sleep,
          progress: (summary) => console.error(`rollout: ${summary}`),
        },
        { timeoutMs, pollMs: 5_000 },
      );
    },
    diagnose: async (pods) => {
      const location = serviceLocation((await stacks.describe(stackName)) ?? {});
      return podDiagnostics(
        await connectToCluster(location.clusterName, region),
        location.namespace,
      )(pods);
    },
  });

  await writeSummary(describeOutcome(outcome, env, request));
  await writeOutputs({ outcome: outcome.kind, tag: next.tag, digest: next.digest });
  return deploymentSucceeded(outcome) ? 0 : 1;
});

function reference(repositoryUri: string, image: DeployableImage): string {
  return image.digest ? `${repositoryUri}@${image.digest}` : `${repositoryUri}:${image.tag}`;
}

async function imageToDeploy(
  option: string | undefined,
  region: string,
  running: Partial<ImageVersion> | undefined,
): Promise<ImageVersion> {
  if (option === 'deployed') {
    if (!running?.tag) throw new Error('--image deployed: the stack records no deployed image');
    const digest =
      running.digest ?? (await new Registry(region).find({ imageTag: running.tag }))?.digest;
    if (!digest) throw new Error(`--image deployed: ${running.tag} is no longer in ECR`);
    return { tag: running.tag, digest };
  }
  if (option) return parseImageVersion(option);
  const tag = process.env['IMAGE_TAG'];
  const digest = process.env['IMAGE_DIGEST'];
  if (tag && digest)
    return { tag: assertTag(tag, 'IMAGE_TAG'), digest: assertDigest(digest, 'IMAGE_DIGEST') };
  // By hand, after order-service:push: the digest ECR holds for this commit's tag.
  const commit = tag ?? (await commitTag());
  const pushed = await new Registry(region).find({ imageTag: commit });
  if (!pushed)
    throw new Error(`no image tagged ${commit} in ECR: run nx run order-service:push first`);
  return { tag: commit, digest: pushed.digest };
}
