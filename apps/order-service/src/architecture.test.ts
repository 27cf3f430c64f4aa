import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rule of the layers (eslint.config.js) is checked by the lint run: a forbidden import
 * planted in a real file of the layer fails lint, an allowed one does not.
 */
const eslint = new ESLint({ cwd: fileURLToPath(new URL('..', import.meta.url)) });

async function boundaryErrors(file: string, plantedImport: string): Promise<string[]> {
  const source = await readFile(new URL(file, import.meta.url), 'utf8');
  const [result] = await eslint.lintText(`${plantedImport}\n${source}`, {
    filePath: fileURLToPath(new URL(file, import.meta.url)),
  });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'boundaries/dependencies')
    .map((message) => message.message);
}

// Type-aware linting loads the service's TypeScript program once: seconds on a shared machine.
describe('the layers of the service, as the lint run enforces them', { timeout: 120_000 }, () => {
  it.each([
    ['the domain', 'another layer', './domain/money.ts', "import '../http/problem.ts';"],
    ['the domain', 'a Node module (I/O)', './domain/money.ts', "import 'node:fs';"],
    ['the domain', 'a package', './domain/money.ts', "import 'pino';"],
    ['a use case', 'the HTTP layer', './application/place-order.ts', "import '../http/app.ts';"],
    [
      'a use case',
      'the composition root',
      './application/place-order.ts',
      "import '../server.ts';",
    ],
    [
      'an adapter',
      'the HTTP layer',
      './adapters/http/peer-client.ts',
      "import '../../http/problem.ts';",
    ],
    [
      'an adapter',
      'the composition root',
      './adapters/postgres/connect.ts',
      "import '../../server.ts';",
    ],
  ])('refuses %s importing %s', async (_from, _to, file, plantedImport) => {
    expect(await boundaryErrors(file, plantedImport)).toHaveLength(1);
  });

  it('lets a use case use the domain and an adapter use the application’s ports', async () => {
    expect(
      await boundaryErrors('./application/place-order.ts', "import '../domain/money.ts';"),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        './adapters/http/peer-client.ts',
        "import '../../application/ports.ts';",
      ),
    ).toEqual([]);
  });
});
