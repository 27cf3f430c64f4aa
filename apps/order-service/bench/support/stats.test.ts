import { describe, expect, it } from 'vitest';
import { median, medianWithConfidence, percentile } from './stats.ts';

describe('the figures of repeated benchmark runs', () => {
  it('takes the middle run, and of an even number of runs the mean of the middle two', () => {
    expect(median([0.93, 0.87, 0.91])).toBe(0.91);
    expect(median([0.876, 0.959])).toBeCloseTo(0.9175);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('reads latency percentiles by nearest rank, a value that was actually observed', () => {
    const latencies = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(latencies, 99)).toBe(99);
    expect(percentile(latencies, 50)).toBe(50);
  });

  it('bounds the median of 15 paired ratios by the 4th and 12th smallest, at 96.5 % confidence', () => {
    const ratios = [
      0.96, 0.84, 0.93, 0.88, 0.97, 0.91, 0.86, 0.95, 0.9, 0.89, 0.92, 0.94, 0.87, 0.99, 0.85,
    ];
    expect(medianWithConfidence(ratios)).toEqual({
      median: 0.91,
      low: 0.87,
      high: 0.95,
      confidence: expect.closeTo(0.9648, 4) as number,
    });
  });

  it('widens to the extremes for 6 values and gives no 95 % interval for 5', () => {
    expect(medianWithConfidence([3, 1, 2, 6, 5, 4])).toMatchObject({ low: 1, high: 6 });
    const five = medianWithConfidence([1, 2, 3, 4, 5]);
    expect(five.median).toBe(3);
    expect(five.low).toBeNaN();
    expect(five.high).toBeNaN();
  });

  it('narrows as the runs grow: 101 values of 1…101 leave the true median between 41 and 61', () => {
    const values = Array.from({ length: 101 }, (_, index) => index + 1);
    const estimate = medianWithConfidence(values);
    expect([estimate.low, estimate.high]).toEqual([41, 61]);
    expect(estimate.confidence).toBeGreaterThanOrEqual(0.95);
  });
});
