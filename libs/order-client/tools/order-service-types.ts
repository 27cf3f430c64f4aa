import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import prettier from 'prettier';

/** The committed contract (written by `nx run order-service:openapi`) and the types generated from it. */
export const documentPath = fileURLToPath(
  new URL('../../../docs/contracts/order-service.openapi.json', import.meta.url),
);
export const typesPath = fileURLToPath(
  new URL('../src/generated/order-service.ts', import.meta.url),
);

/** The TypeScript types of `document` (a path or a parsed document), formatted as the workspace formats code. */
export async function generateTypes(document: string | object = documentPath): Promise<string> {
  const source = typeof document === 'string' ? new URL(`file://${document}`) : document;
  const header =
    `${COMMENT_HEADER.trim()}\n` +
    '// From docs/contracts/order-service.openapi.json by `npx nx run order-client:generate`.\n\n';
  const code =
    header + astToString(await openapiTS(source as never, { defaultNonNullable: false }));
  const options = await prettier.resolveConfig(typesPath);
  return prettier.format(code, { ...options, parser: 'typescript' });
}
