import { describe, expect, it } from 'vitest';
import { verdictWithConfidence } from './goal-verdicts.ts';

const estimate = (median: number, low: number, high: number) => ({
  median,
  low,
  high,
  confidence: 0.965,
});

describe('a ratio goal judged with its confidence interval (at least 90 %)', () => {
  it('is met only when the whole interval lies above the goal', () => {
    expect(verdictWithConfidence(estimate(0.944, 0.918, 0.977), 0.9)).toBe('MET');
  });

  it('is missed only when the whole interval lies below it', () => {
    expect(verdictWithConfidence(estimate(0.845, 0.818, 0.876), 0.9)).toBe('NOT MET');
  });

  it('is on the line when the interval straddles the goal, whichever side the median is on', () => {
    expect(verdictWithConfidence(estimate(0.91, 0.89, 0.929), 0.9)).toBe('ON THE LINE');
    expect(verdictWithConfidence(estimate(0.89, 0.86, 0.93), 0.9)).toBe('ON THE LINE');
  });

  it('says when only the median decided, because there were too few runs for an interval', () => {
    expect(verdictWithConfidence(estimate(0.93, Number.NaN, Number.NaN), 0.9)).toBe(
      'MET (median only)',
    );
    expect(verdictWithConfidence(estimate(0.85, Number.NaN, Number.NaN), 0.9)).toBe(
      'NOT MET (median only)',
    );
  });
});
