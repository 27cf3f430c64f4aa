import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Which project may import which (the Nx tags and `@nx/enforce-module-boundaries` in eslint.config.js):
 * a forbidden import planted in a real file of a project fails that project's lint run.
 */
const workspace = new URL('../../../', import.meta.url);

async function boundaryErrors(project: string, file: string, plantedImport: string) {
  const eslint = new ESLint({ cwd: fileURLToPath(new URL(project, workspace)) });
  const path = new URL(`${project}/${file}`, workspace);
  const source = await readFile(path, 'utf8');
  const [result] = await eslint.lintText(`${plantedImport}\n${source}`, {
    filePath: fileURLToPath(path),
  });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === '@nx/enforce-module-boundaries')
    .map((message) => message.message);
}

// Type-aware linting loads each project's TypeScript program: seconds per project on a shared machine.
describe(
  'the boundaries between projects, as the lint run enforces them',
  { timeout: 120_000 },
  () => {
    it('refuses an app importing another app', async () => {
      expect(
        await boundaryErrors(
          'apps/peer-simulators',
          'src/app.ts',
          "import '@mallhive/order-service/config';",
        ),
      ).toEqual(['Imports of apps are forbidden']);
    });

    it('refuses infrastructure importing the service', async () => {
      expect(
        await boundaryErrors(
          'infra/k8s',
          'src/index.ts',
          "import '@mallhive/order-service/config';",
        ),
      ).toEqual(['Imports of apps are forbidden']);
    });

    it('refuses the contracts depending on anything but contracts', async () => {
      const errors = await boundaryErrors(
        'libs/order-contracts',
        'src/index.ts',
        "import '@mallhive/testing';",
      );
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('type:contracts');
    });

    it('lets infrastructure and apps import the contracts', async () => {
      const contracts = "import '@mallhive/order-contracts';";
      expect(await boundaryErrors('infra/k8s', 'src/index.ts', contracts)).toEqual([]);
      expect(await boundaryErrors('apps/peer-simulators', 'src/app.ts', contracts)).toEqual([]);
    });
  },
);
