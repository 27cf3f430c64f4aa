import { describe, expect, it } from 'vitest';
import { connectionBudget } from './connection-budget.ts';

describe('the database connection budget', () => {
  // 15 pods at the HPA's maximum and a 25 % surge during a rollout: 4 more.
  const budget = connectionBudget({ maxReplicas: 15, poolMax: 10 });

  it('counts every pod of a rollout at the maximum with a full pool and its presence-lock session', () => {
    expect(budget.pods).toBe(19);
    expect(budget.pools + budget.presenceLocks).toBe(19 * (10 + 1));
  });

  it('adds migrations of the starting pods, rotation, bootstrap and reserved connections', () => {
    expect(budget).toMatchObject({ migrations: 4, rotation: 4, bootstrap: 1, reserved: 5 });
    expect(budget.total).toBe(19 * 11 + 4 + 4 + 1 + 5);
  });
});
