import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

/**
 * Type-checks `files` (name → source; the first is the entry) in a scratch directory, as strict as the
 * workspace; `paths` maps module names to files, e.g. `@mallhive/order-client` to this library.
 * Returns the error messages.
 */
export async function typecheck(
  files: Record<string, string>,
  paths: Record<string, string[]> = {},
): Promise<string[]> {
  const directory = await mkdtemp(join(tmpdir(), 'order-client-typecheck-'));
  try {
    for (const [name, source] of Object.entries(files)) {
      await writeFile(join(directory, name), source);
    }
    const program = ts.createProgram([join(directory, Object.keys(files)[0] ?? '')], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
      paths,
    });
    return ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
