import { describe, expect, it } from 'vitest';
import { devChartProps } from './config/dev.ts';
import { prodChartProps } from './config/prod.ts';
import { fargateSizeProblem, fargateSizes, provisionedFargateSize } from './fargate-sizes.ts';
import { findPropsProblems } from './props-validation.ts';

// AWS, "Understand Fargate Pod configuration details" (Pod CPU and memory): Fargate adds 256 MB to the
// pod's memory and rounds up to the combination that holds vCPU and memory; the table of combinations
// is copied into fargate-sizes.ts.
describe('Fargate pod sizes', () => {
  it('has the documented combinations, from 0.25 vCPU / 0.5 GB to 16 vCPU / 120 GB', () => {
    expect(fargateSizes[0]).toEqual({ cpuMillis: 250, memoryMebibytes: 512 });
    expect(fargateSizes.filter((s) => s.cpuMillis === 1000).map((s) => s.memoryMebibytes)).toEqual([
      2048, 3072, 4096, 5120, 6144, 7168, 8192,
    ]);
    expect(fargateSizes.filter((s) => s.cpuMillis === 8000)).toHaveLength(12); // 16-60 GB by 4
    expect(fargateSizes.at(-1)).toEqual({ cpuMillis: 16000, memoryMebibytes: 120 * 1024 });
  });

  it("rounds up as AWS's own example does: 1 vCPU and 8 GB become 2 vCPU and 9 GB", () => {
    expect(provisionedFargateSize({ cpuMillis: 1000, memoryMebibytes: 8192 })).toEqual({
      cpuMillis: 2000,
      memoryMebibytes: 9216,
    });
  });

  it('accepts requests that fill a size once Fargate has added its 256 MiB', () => {
    expect(fargateSizeProblem({ cpuMillis: 500, memoryMebibytes: 1792 })).toBeUndefined();
    expect(fargateSizeProblem({ cpuMillis: 1000, memoryMebibytes: 2816 })).toBeUndefined();
  });

  it('refuses requests that pay for memory they cannot use, naming the nearest sizes that fit', () => {
    expect(fargateSizeProblem({ cpuMillis: 1000, memoryMebibytes: 2048 })).toBe(
      '1000m/2048Mi: Fargate adds 256 MiB and provisions 1 vCPU / 3 GB, so part of what is billed ' +
        'goes unused. Requests that fill a Fargate size: 1000m/1792Mi (1 vCPU / 2 GB) or ' +
        '1000m/2816Mi (1 vCPU / 3 GB)',
    );
  });

  it('refuses a CPU between sizes (Fargate would round it up)', () => {
    expect(fargateSizeProblem({ cpuMillis: 600, memoryMebibytes: 1792 })).toMatch(
      /provisions 1 vCPU \/ 2 GB.*500m\/1792Mi .* or 1000m\/1792Mi/,
    );
  });

  it('refuses what no Fargate size holds', () => {
    expect(fargateSizeProblem({ cpuMillis: 16000, memoryMebibytes: 122880 })).toMatch(
      /exceeds the largest Fargate size/,
    );
  });

  it('is enforced by the chart, and the example sizes use all of what they pay for', () => {
    const wasteful = { ...devChartProps, resources: { cpuMillis: 500, memoryMebibytes: 1024 } };
    expect(findPropsProblems(wasteful)).toEqual([
      expect.stringMatching(/^resources 500m\/1024Mi: .*500m\/768Mi .* or 500m\/1792Mi/),
    ]);
    expect(fargateSizeProblem(devChartProps.resources)).toBeUndefined();
    expect(fargateSizeProblem(prodChartProps.resources)).toBeUndefined();
  });
});
