import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { documentPath, generateTypes, typesPath } from '../tools/order-service-types.ts';
import { typecheck } from '../tools/typecheck.ts';

/** Type-checks `consumer` against types generated from `document`; returns the error messages. */
const typecheckAgainst = async (document: object, consumer: string) =>
  typecheck({ 'consumer.ts': consumer, 'types.ts': await generateTypes(document) });

const readDocument = async () =>
  JSON.parse(await readFile(documentPath, 'utf8')) as {
    components: { schemas: Record<string, { properties: Record<string, unknown> }> };
  };

describe('the generated types', () => {
  it('are in step with the committed document (regenerate with `npx nx run order-client:generate`)', async () => {
    expect(await readFile(typesPath, 'utf8')).toBe(await generateTypes());
  });

  describe('make a breaking change to the document fail typechecking of the code that uses it', () => {
    const consumer = `
      import type { components } from './types.ts';
      type Order = components['schemas']['Order'];
      export const totalOf = (order: Order): number => order.total;
    `;

    it('compiles against the committed document', async () => {
      expect(await typecheckAgainst(await readDocument(), consumer)).toEqual([]);
    });

    it('a removed field', async () => {
      const document = await readDocument();
      delete document.components.schemas.Order?.properties.total;
      expect(await typecheckAgainst(document, consumer)).toEqual([
        expect.stringContaining("Property 'total' does not exist"),
      ]);
    });

    it('a changed type', async () => {
      const document = await readDocument();
      const order = document.components.schemas.Order;
      if (order) order.properties.total = { type: 'string' };
      expect(await typecheckAgainst(document, consumer)).toEqual([
        expect.stringContaining("Type 'string' is not assignable to type 'number'"),
      ]);
    });
  });
});
