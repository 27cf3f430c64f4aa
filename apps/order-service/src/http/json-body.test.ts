import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inputLimits } from './input-limits.ts';
import { assertBoundedJson } from './json-body.ts';

const valuesIn = (value: unknown): number =>
  value !== null && typeof value === 'object'
    ? Object.values(value).reduce<number>((sum, child) => sum + valuesIn(child), 1)
    : 1;
const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object'
    ? 1 + Math.max(0, ...Object.values(value).map(depthOf))
    : 0;
const refused = (text: string) => {
  try {
    assertBoundedJson(text);
    return false;
  } catch {
    return true;
  }
};

describe('the scan that bounds a JSON body before it is parsed', () => {
  it('refuses exactly the texts whose parsed value is too deep or holds too many values', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 40 }),
        fc.integer({ min: 1, max: 400 }),
        fc.boolean(),
        (value, copies, pretty) => {
          // Copies of one value reach across the value limit; pretty-printing adds whitespace.
          const text = JSON.stringify(Array(copies).fill(value), null, pretty ? 2 : 0);
          const parsed: unknown = JSON.parse(text);
          expect(refused(text)).toBe(
            valuesIn(parsed) > inputLimits.jsonValues || depthOf(parsed) > inputLimits.jsonDepth,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('does not count keys, nor brackets, quotes and commas inside strings', () => {
    // Four values each (the object, two strings, the array), plus the outer array.
    const tricky = { '[[[{': '"]]],\\":[1,2', nested: ['{\\'] };
    const fitting = Math.floor((inputLimits.jsonValues - 1) / 4);
    expect(refused(JSON.stringify(Array(fitting).fill(tricky)))).toBe(false);
    expect(refused(JSON.stringify(Array(fitting + 1).fill(tricky)))).toBe(true);
  });
});
