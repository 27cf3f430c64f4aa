import { describe, expect, it } from 'vitest';
import {
  CONTRACTS,
  loadContract,
  responseValidator,
  webhookValidator,
  type ContractName,
} from './contract-documents.ts';

describe('the contract documents in docs/contracts', () => {
  it('are OpenAPI 3.1 documents whose every response schema resolves', () => {
    for (const name of Object.keys(CONTRACTS) as ContractName[]) {
      const document = loadContract(name) as unknown as {
        openapi: string;
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      expect(document.openapi).toBe('3.1.0');
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const status of Object.keys(operation.responses)) {
            expect(() => responseValidator(name, path, method, Number(status))).not.toThrow();
          }
        }
      }
    }
  });

  it('reject bodies that break them (the validators are not vacuous)', () => {
    const reservation = responseValidator('product', '/api/v1/reservations', 'post', 201);
    expect(
      reservation?.({ orderId: 'o', status: 'reserved', currency: 'EUR', expiresAt: 'x' }),
    ).toBe(false);
    const insufficient = responseValidator('product', '/api/v1/reservations', 'post', 409);
    expect(insufficient?.({ items: [] })).toBe(false);
    const outcome = webhookValidator('payment', 'paymentOutcome');
    expect(
      outcome({ paymentId: 'p', orderId: 'o', status: 'pending', amount: 1, currency: 'EUR' }),
    ).toBe(false);
  });

  it('refuse to vouch for a status the contract does not document', () => {
    expect(() => responseValidator('payment', '/api/v1/payments', 'post', 201)).toThrow(
      /does not document 201/,
    );
  });
});
