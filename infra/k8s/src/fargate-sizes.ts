import type { PodResources } from './order-service-chart-props.ts';

/**
 * The vCPU and memory combinations Fargate runs pods with, from AWS "Understand Fargate Pod
 * configuration details" (Pod CPU and memory): 0.25 vCPU with 0.5, 1 or 2 GB; 0.5 vCPU with 1-4 GB;
 * 1 vCPU with 2-8 GB; 2 vCPU with 4-16 GB and 4 vCPU with 8-30 GB in 1 GB steps; 8 vCPU with
 * 16-60 GB in 4 GB steps; 16 vCPU with 32-120 GB in 8 GB steps.
 */
export const fargateSizes: readonly PodResources[] = [
  ...[512, 1024, 2048].map((memoryMebibytes) => ({ cpuMillis: 250, memoryMebibytes })),
  ...gigabytes(1, 4, 1).map((memoryMebibytes) => ({ cpuMillis: 500, memoryMebibytes })),
  ...gigabytes(2, 8, 1).map((memoryMebibytes) => ({ cpuMillis: 1000, memoryMebibytes })),
  ...gigabytes(4, 16, 1).map((memoryMebibytes) => ({ cpuMillis: 2000, memoryMebibytes })),
  ...gigabytes(8, 30, 1).map((memoryMebibytes) => ({ cpuMillis: 4000, memoryMebibytes })),
  ...gigabytes(16, 60, 4).map((memoryMebibytes) => ({ cpuMillis: 8000, memoryMebibytes })),
  ...gigabytes(32, 120, 8).map((memoryMebibytes) => ({ cpuMillis: 16000, memoryMebibytes })),
];

/** "Fargate adds 256 MB to each Pod's memory reservation for the required Kubernetes components." */
export const fargateMemoryOverheadMebibytes = 256;

function gigabytes(from: number, to: number, step: number): number[] {
  const sizes: number[] = [];
  for (let gb = from; gb <= to; gb += step) sizes.push(gb * 1024);
  return sizes;
}

/** The size Fargate provisions for these requests: the smallest combination that holds them. */
export function provisionedFargateSize(requests: PodResources): PodResources | undefined {
  const memory = requests.memoryMebibytes + fargateMemoryOverheadMebibytes;
  return fargateSizes.find(
    (size) => size.cpuMillis >= requests.cpuMillis && size.memoryMebibytes >= memory,
  );
}

/** Requests that fill a Fargate size exactly (its memory less the 256 MiB Fargate adds). */
function requestsFilling(size: PodResources): PodResources {
  return {
    cpuMillis: size.cpuMillis,
    memoryMebibytes: size.memoryMebibytes - fargateMemoryOverheadMebibytes,
  };
}

const describe = (r: PodResources) => `${r.cpuMillis}m/${r.memoryMebibytes}Mi`;
const describeSize = (s: PodResources) =>
  `${s.cpuMillis / 1000} vCPU / ${s.memoryMebibytes / 1024} GB`;

/**
 * Why these requests waste what Fargate bills, or undefined when they fill a Fargate size exactly.
 * The message names the nearest requests that do: the largest size below, and the one Fargate would
 * provision anyway (same price, all of it usable).
 */
export function fargateSizeProblem(requests: PodResources): string | undefined {
  const provisioned = provisionedFargateSize(requests);
  if (!provisioned) {
    return `${describe(requests)} plus Fargate's 256 MiB exceeds the largest Fargate size (16 vCPU / 120 GB)`;
  }
  const filling = requestsFilling(provisioned);
  if (
    filling.cpuMillis === requests.cpuMillis &&
    filling.memoryMebibytes === requests.memoryMebibytes
  ) {
    return undefined;
  }
  const below = [...fargateSizes]
    .map(requestsFilling)
    .filter(
      (r) =>
        r.cpuMillis <= requests.cpuMillis &&
        r.memoryMebibytes <= requests.memoryMebibytes &&
        r.memoryMebibytes > 0,
    )
    .at(-1);
  const nearest = [below, filling].filter((r): r is PodResources => r !== undefined);
  return (
    `${describe(requests)}: Fargate adds 256 MiB and provisions ${describeSize(provisioned)}, ` +
    `so part of what is billed goes unused. Requests that fill a Fargate size: ` +
    nearest
      .map(
        (r) =>
          `${describe(r)} (${describeSize({ cpuMillis: r.cpuMillis, memoryMebibytes: r.memoryMebibytes + 256 })})`,
      )
      .join(' or ')
  );
}
