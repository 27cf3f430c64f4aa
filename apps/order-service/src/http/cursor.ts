import { createHmac, timingSafeEqual } from 'node:crypto';
import { OrderError } from '../domain/errors.ts';

/** Where a page ended, bound to the listing it came from. */
export interface CursorPosition {
  readonly createdAt: Date;
  readonly id: string;
}

interface CursorBody {
  readonly t: string;
  readonly i: string;
  /** The listing (user and status filter) the cursor belongs to: a cursor is no use elsewhere. */
  readonly l: string;
}

/**
 * Opaque, signed keyset cursors: `<base64url JSON>.<base64url HMAC-SHA256>`. Clients cannot forge or edit
 * one to read from an arbitrary position, and the format may change without breaking anyone.
 */
export class CursorCodec {
  private readonly secret: string;

  constructor(secret: string) {
    this.secret = secret;
  }

  encode(position: CursorPosition, listing: string): string {
    const body: CursorBody = { t: position.createdAt.toISOString(), i: position.id, l: listing };
    const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
    return `${payload}.${this.sign(payload).toString('base64url')}`;
  }

  decode(cursor: string, listing: string): CursorPosition {
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined) throw invalid();
    const expected = this.sign(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as CursorBody;
    const createdAt = new Date(body.t);
    if (body.l !== listing || Number.isNaN(createdAt.getTime())) throw invalid();
    return { createdAt, id: body.i };
  }

  private sign(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest();
  }
}

const invalid = () =>
  new OrderError('invalid_cursor', 'The cursor is not one this service issued for this listing.');
