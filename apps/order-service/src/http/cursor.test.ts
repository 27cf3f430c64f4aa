import { describe, expect, it } from 'vitest';
import { CursorCodec } from './cursor.ts';

const codec = new CursorCodec('test-secret');
const position = {
  createdAt: new Date('2026-11-25T10:00:00.123Z'),
  id: '00000000-0000-4000-8000-000000000001',
};

describe('pagination cursors', () => {
  it('round-trip a position of the listing they were issued for', () => {
    expect(codec.decode(codec.encode(position, 'user-1|'), 'user-1|')).toEqual(position);
  });

  it('are refused when edited, forged with another key, or used on another listing', () => {
    const cursor = codec.encode(position, 'user-1|');
    const [payload, signature] = cursor.split('.') as [string, string];
    const edited = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('10:00', '09:00'),
    ).toString('base64url');
    const invalid = expect.objectContaining({ code: 'invalid_cursor' });
    expect(() => codec.decode(`${edited}.${signature}`, 'user-1|')).toThrow(invalid);
    expect(() => new CursorCodec('other-key').decode(cursor, 'user-1|')).toThrow(invalid);
    expect(() => codec.decode(cursor, 'user-2|')).toThrow(invalid);
    expect(() => codec.decode('garbage', 'user-1|')).toThrow(invalid);
  });
});
