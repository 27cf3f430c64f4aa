// Blocks promotion of an image with a critical finding from ECR enhanced scanning (Amazon Inspector).
// Usage: node tools/delivery/src/cli/scan-gate.ts --env prod --digest sha256:... [--timeout 20m]
import { parseArgs } from 'node:util';
import { assertDigest } from '../image/image-ref.ts';
import { Registry } from '../image/registry.ts';
import { assessScan, describeScan, type ScanVerdict } from '../image/scan-verdict.ts';
import { writeSummary } from '../summary/github.ts';
import { duration, environmentName, requiredEnv, runMain, sleep } from './cli.ts';

runMain('scan-gate', async () => {
  const { values } = parseArgs({
    options: {
      env: { type: 'string' },
      digest: { type: 'string' },
      timeout: { type: 'string', default: '20m' },
    },
  });
  const env = environmentName(values.env);
  const digest = assertDigest(values.digest ?? '');
  const registry = new Registry(requiredEnv('AWS_REGION'));
  const deadline = Date.now() + duration(values.timeout, 'timeout');
  let verdict: ScanVerdict;
  for (;;) {
    verdict = assessScan(await registry.scanFindings(digest));
    if (verdict.kind !== 'wait') break;
    if (Date.now() >= deadline) {
      verdict = {
        kind: 'block',
        summary: `no finished scan within ${values.timeout} (${verdict.summary})`,
        critical: [],
      };
      break;
    }
    console.error(`scan-gate: ${verdict.summary}, waiting`);
    await sleep(20_000);
  }
  await writeSummary(describeScan(verdict, `${registry.repositoryName}@${digest} (${env})`));
  return verdict.kind === 'pass' ? 0 : 1;
});
