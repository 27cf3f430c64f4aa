import { describe, expect, it } from 'vitest';
import { deployedCommits } from './last-deployed.ts';

const a = 'a'.repeat(40);
const b = 'b'.repeat(40);
const c = 'c'.repeat(40);

describe('the base of a deployment plan: the commit the last successful Deploy run deployed', () => {
  it('reads it from the run name, not from head_sha (the tip of main when the run started)', () => {
    const run = { display_title: `Deploy ${b}`, conclusion: 'success', head_sha: c };
    expect(deployedCommits([run])).toEqual([b]);
  });

  it('skips runs that did not succeed (a rejected or replaced prod deploy deployed nothing to prod)', () => {
    const runs = [
      { display_title: `Deploy ${c}`, conclusion: 'cancelled' },
      { display_title: `Deploy ${b}`, conclusion: 'failure' },
      { display_title: `Deploy ${a}`, conclusion: 'success' },
    ];
    expect(deployedCommits(runs)).toEqual([a]);
  });

  it('knows none before the first successful deploy, or for runs named otherwise', () => {
    expect(deployedCommits([])).toEqual([]);
    expect(deployedCommits([{ display_title: 'Deploy', conclusion: 'success' }])).toEqual([]);
  });
});
