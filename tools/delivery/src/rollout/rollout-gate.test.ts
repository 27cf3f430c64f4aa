import { describe, expect, it } from 'vitest';
import { recorded } from '../testing/recorded-rollouts.ts';
import type { RolloutObservation } from './rollout-observation.ts';
import { waitForRollout } from './rollout-gate.ts';

/** A clock that only moves when the gate sleeps. */
function fakeTime() {
  let now = Date.parse('2026-11-29T10:15:00Z');
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

const expected = {
  container: 'order-service',
  image: recorded('success').expectedImage,
  service: 'order-service',
};
const options = { timeoutMs: 60_000, pollMs: 5_000 };

describe('waiting for a rollout', () => {
  it('polls through the progressing states and returns once the rollout succeeds', async () => {
    const answers: RolloutObservation[] = [
      recorded('timeout'),
      recorded('timeout'),
      recorded('success'),
    ];
    const time = fakeTime();
    const progress: string[] = [];
    const verdict = await waitForRollout(
      expected,
      { ...time, observe: async () => answers.shift()!, progress: (s) => progress.push(s) },
      options,
    );
    expect(verdict.kind).toBe('succeeded');
    expect(time.slept).toEqual([5_000, 5_000]);
    expect(progress).toHaveLength(1); // the same state is reported once
  });

  it('stops at the first failure without waiting for the deadline', async () => {
    const time = fakeTime();
    const verdict = await waitForRollout(
      expected,
      { ...time, observe: async () => recorded('crash-loop') },
      options,
    );
    expect(verdict).toMatchObject({ kind: 'failed', reason: 'crash-loop' });
    expect(time.slept).toEqual([]);
  });

  it('fails with a timeout when the rollout never completes', async () => {
    const time = fakeTime();
    const verdict = await waitForRollout(
      expected,
      { ...time, observe: async () => recorded('timeout') },
      options,
    );
    expect(verdict).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(time.slept.reduce((a, b) => a + b, 0)).toBe(60_000);
  });

  it('retries a passing API error, and reports an unobservable rollout when access is refused', async () => {
    const time = fakeTime();
    let calls = 0;
    const flaky = async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return recorded('success');
    };
    expect((await waitForRollout(expected, { ...time, observe: flaky }, options)).kind).toBe(
      'succeeded',
    );

    const forbidden = async () => {
      throw Object.assign(
        new Error('HTTP-Code: 403 Message: deployments.apps "order-service" is forbidden'),
        { code: 403 },
      );
    };
    expect(await waitForRollout(expected, { ...fakeTime(), observe: forbidden }, options)).toEqual({
      kind: 'unobservable',
      summary:
        'cannot read the rollout: HTTP-Code: 403 Message: deployments.apps "order-service" is forbidden',
    });
  });
});
