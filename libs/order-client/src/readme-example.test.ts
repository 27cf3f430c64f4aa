import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { typecheck } from '../tools/typecheck.ts';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
const library = fileURLToPath(new URL('./index.ts', import.meta.url));

describe('the README', () => {
  it('shows the client in three lines that compile against it', async () => {
    const text = await readFile(readme, 'utf8');
    const section = text.slice(text.indexOf('### From TypeScript'));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(example.trim().split('\n')).toHaveLength(3);

    // What the page around the three lines has: the signed-in user's token and id.
    const page = `declare const accessToken: () => string;\ndeclare const userId: string;\n`;
    const errors = await typecheck(
      { 'example.mts': `${example}${page}export {};\n` },
      { '@mallhive/order-client': [library] },
    );
    expect(errors).toEqual([]);
  });
});
