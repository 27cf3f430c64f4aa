import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ServiceChild } from './service-child.ts';
import { forkService } from './service-child.ts';
import type { MedianEstimate, RunFigures } from './stats.ts';
import { median, medianOf, medianWithConfidence } from './stats.ts';

const INSTRUMENT = fileURLToPath(new URL('../../src/instrument.ts', import.meta.url));

/** A configuration of the service to measure: tracing off, or on at a sampling ratio. */
export interface TracingVariant {
  readonly label: string;
  /** Undefined: tracing off (no OTLP endpoint, instrument.ts loads nothing). */
  readonly samplingRatio?: number;
}

export interface VariantFigures {
  readonly variant: TracingVariant;
  readonly figures: RunFigures;
  /** This variant's throughput ÷ the off variant's in the same round: median over the rounds, 95 % CI. */
  readonly pairedRatio: MedianEstimate;
  /** Median CPU time (user + system) the service process spent per created order, in ms. */
  readonly cpuMsPerOrder: number;
  /** What the service exported to the OTLP endpoint, in kB per second of load (0 with tracing off). */
  readonly exportedKBPerSecond: number;
}

/**
 * An OTLP/HTTP endpoint that accepts trace exports and counts what arrives (it does not decode them),
 * standing in for the collector so the service pays the real cost of batching and exporting.
 */
async function startOtlpSink() {
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    receivedBytes: () => bytes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Forks the benchmark service with tracing as the variant says. */
function startService(
  variant: TracingVariant,
  env: Record<string, string>,
  otlpEndpoint: string,
): Promise<ServiceChild> {
  const traced = variant.samplingRatio !== undefined;
  return forkService({
    label: variant.label,
    execArgv: [
      ...(traced ? ['--import', INSTRUMENT] : []),
      // Where the CPU goes with tracing on and off: one V8 profile per variant, for a profile viewer.
      ...(process.env.BENCH_CPU_PROFILE_DIR
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}/${variant.label.replace(/\W+/g, '-')}`,
          ]
        : []),
    ],
    env: {
      ...env,
      ...(traced
        ? {
            OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
            OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
            OTEL_TRACES_SAMPLER_ARG: String(variant.samplingRatio),
            OTEL_SERVICE_NAME: 'order-service-bench',
          }
        : {}),
    },
  });
}

/**
 * Tracing's cost on order creation: one service process per variant, all on the same database, loaded in
 * turn round after round (the order rotates each round, so a slow phase of the shared machine does not
 * always hit the same variant). Each traced variant is compared with the off variant of the same round.
 */
export async function measureTracingCost(options: {
  variants: readonly TracingVariant[];
  serviceEnv: Record<string, string>;
  repeats: number;
  durationSeconds: number;
  warmupSeconds: number;
  load: (url: string, durationSeconds: number) => Promise<RunFigures>;
  onRun: (round: number, variant: TracingVariant, figures: RunFigures) => void;
}): Promise<VariantFigures[]> {
  // One sink per variant: spans are exported in batches seconds later, maybe during another's turn.
  const sinks = await Promise.all(options.variants.map(() => startOtlpSink()));
  const services = await Promise.all(
    options.variants.map((variant, index) =>
      startService(variant, options.serviceEnv, sinks[index]!.endpoint),
    ),
  );
  const runs = options.variants.map(() => [] as RunFigures[]);
  const cpuPerOrder = options.variants.map(() => [] as number[]);
  let warmupBytes: number[] = [];
  try {
    for (const service of services) await options.load(service.url, options.warmupSeconds);
    warmupBytes = sinks.map((sink) => sink.receivedBytes());
    for (let round = 1; round <= options.repeats; round += 1) {
      for (let turn = 0; turn < services.length; turn += 1) {
        const index = (turn + round - 1) % services.length;
        const service = services[index]!;
        const cpuBefore = await service.cpuMicros();
        const figures = await options.load(service.url, options.durationSeconds);
        const cpuMicros = (await service.cpuMicros()) - cpuBefore;
        cpuPerOrder[index]!.push(cpuMicros / 1000 / figures.operations);
        runs[index]!.push(figures);
        options.onRun(round, options.variants[index]!, figures);
      }
    }
  } finally {
    // Each service exports its last spans as it stops: count the bytes after they have exited.
    await Promise.all(services.map((service) => service.stop()));
    await Promise.all(sinks.map((sink) => sink.close()));
  }
  const offRuns =
    runs[options.variants.findIndex((variant) => variant.samplingRatio === undefined)];
  const loadSeconds = options.repeats * options.durationSeconds;
  return options.variants.map((variant, index) => ({
    variant,
    figures: medianOf(runs[index] ?? []),
    pairedRatio: medianWithConfidence(
      (runs[index] ?? []).map(
        (run, round) => run.throughput / (offRuns?.[round]?.throughput ?? NaN),
      ),
    ),
    cpuMsPerOrder: median(cpuPerOrder[index] ?? []),
    exportedKBPerSecond:
      (sinks[index]!.receivedBytes() - (warmupBytes[index] ?? 0)) / 1000 / loadSeconds,
  }));
}
