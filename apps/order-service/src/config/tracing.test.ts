import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { readTracingConfig } from './tracing.ts';
import { problemsOf } from '../testing/config-fixtures.ts';

const collector = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://adot-collector.observability:4318' };

describe('tracing configuration', () => {
  it('is off unless an OTLP endpoint is configured', () => {
    expect(loadConfig({}).tracing.endpoint).toBeUndefined();
    expect(
      loadConfig({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_ENDPOINT: '' }).tracing.endpoint,
    ).toBeUndefined();
    expect(loadConfig(collector).tracing.endpoint).toBe(collector.OTEL_EXPORTER_OTLP_ENDPOINT);
    expect(
      loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }).tracing
        .endpoint,
    ).toBe('http://127.0.0.1:4318/v1/traces');
  });

  it('can be switched off with the standard variables even when an endpoint is set', () => {
    expect(
      loadConfig({ ...collector, OTEL_SDK_DISABLED: 'TRUE' }).tracing.endpoint,
    ).toBeUndefined();
    expect(
      loadConfig({ ...collector, OTEL_TRACES_EXPORTER: 'none' }).tracing.endpoint,
    ).toBeUndefined();
  });

  it('samples parent-based at a ratio: every new trace unless OTEL_TRACES_SAMPLER_ARG says less', () => {
    expect(loadConfig(collector).tracing).toEqual({
      endpoint: collector.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: 'order-service',
      sampler: 'parentbased_traceidratio',
      ratio: 1,
    });
    expect(
      loadConfig({ ...collector, OTEL_TRACES_SAMPLER_ARG: '0.1', OTEL_SERVICE_NAME: 'orders' })
        .tracing,
    ).toMatchObject({ sampler: 'parentbased_traceidratio', ratio: 0.1, serviceName: 'orders' });
  });

  it('names every OTEL_ variable that does not parse, with the other problems, at once', () => {
    const problems = problemsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'adot-collector:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'udp',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: 'ten percent',
      PORT: 'eighty',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/),
        expect.stringMatching(/^OTEL_EXPORTER_OTLP_PROTOCOL: must be one of grpc, http\/protobuf/),
        expect.stringMatching(/^OTEL_TRACES_SAMPLER: must be one of always_on/),
        expect.stringMatching(/^OTEL_TRACES_SAMPLER_ARG: must be a ratio between 0 and 1/),
      ]),
    );
    for (const ratio of ['1.5', '-0.1'])
      expect(problemsOf({ ...collector, OTEL_TRACES_SAMPLER_ARG: ratio }), ratio).toEqual([
        expect.stringMatching(/^OTEL_TRACES_SAMPLER_ARG: must be a ratio between 0 and 1/),
      ]);
  });

  it('can be read alone before the service loads, and is then nothing when it does not parse', () => {
    expect(readTracingConfig({ ...collector, OTEL_TRACES_SAMPLER_ARG: '0.25' })).toMatchObject({
      endpoint: collector.OTEL_EXPORTER_OTLP_ENDPOINT,
      ratio: 0.25,
    });
    expect(readTracingConfig({ ...collector, OTEL_TRACES_SAMPLER_ARG: 'lots' })).toBeUndefined();
  });
});
