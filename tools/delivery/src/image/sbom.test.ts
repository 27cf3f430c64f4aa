import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoFile, repoRoot } from '../testing/repo-file.ts';

interface Bom {
  bomFormat: string;
  specVersion: string;
  components: { group?: string; name: string; version: string; purl?: string }[];
}

/** npm package names: CycloneDX splits `@scope/name` into group and name. */
const packageNames = (bom: Bom) =>
  new Set(bom.components.map((c) => (c.group ? `${c.group}/${c.name}` : c.name)));

const orderService = JSON.parse(repoFile('apps/order-service/package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

// The script the deploy workflow runs, run for real against the lockfile (no network needed).
describe('the CycloneDX SBOM of the order service image', () => {
  let bom: Bom;
  beforeAll(async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'sbom-')), 'sbom.cdx.json');
    await promisify(execFile)('sh', ['tools/delivery/scripts/sbom.sh', out], { cwd: repoRoot });
    bom = JSON.parse(await readFile(out, 'utf8')) as Bom;
  }, 60_000);

  it('is a CycloneDX document with a package URL for every component', () => {
    expect(bom.bomFormat).toBe('CycloneDX');
    expect(Number(bom.specVersion)).toBeGreaterThanOrEqual(1.6);
    expect(bom.components.filter((c) => !c.purl?.startsWith('pkg:npm/'))).toEqual([]);
  });

  it('lists every runtime dependency of the service, at the version the lockfile pins', () => {
    const names = packageNames(bom);
    for (const dependency of Object.keys(orderService.dependencies)) {
      expect(names.has(dependency), dependency).toBe(true);
    }
    const lock = JSON.parse(repoFile('package-lock.json')) as {
      packages: Record<string, { version?: string }>;
    };
    const fastify = bom.components.find((c) => c.name === 'fastify');
    expect(fastify?.version).toBe(lock.packages['node_modules/fastify']?.version);
  });

  it("leaves out what the image does not contain: dev tools and other projects' dependencies", () => {
    // The service's dev-only tools (its @types/pg is also a runtime dependency of node-pg-migrate).
    const devOnly = ['autocannon', 'aws-sdk-client-mock', 'fast-check'];
    expect(Object.keys(orderService.devDependencies)).toEqual(expect.arrayContaining(devOnly));
    const names = packageNames(bom);
    for (const absent of [
      ...devOnly,
      'vitest',
      'nx',
      'aws-cdk-lib',
      'cdk8s',
      '@kubernetes/client-node',
    ]) {
      expect(names.has(absent), absent).toBe(false);
    }
  });
});
