import type { z } from 'zod';
import { PeerContractError } from '../../domain/errors.ts';
import type { PeerAnswer } from './peer-client.ts';

/** The body of a successful answer, checked against the contract so a drifting peer fails loudly. */
export function readBody<Schema extends z.ZodType>(
  schema: Schema,
  answer: PeerAnswer,
  peer: string,
  operation: string,
): z.infer<Schema> {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ');
    throw new PeerContractError(peer, operation, problem);
  }
  return parsed.data;
}
