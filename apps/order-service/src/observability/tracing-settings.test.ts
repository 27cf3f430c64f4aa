import { describe, expect, it } from 'vitest';
import { readTracingSettings } from './tracing-settings.ts';

const collector = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://adot-collector.observability:4318' };

describe('tracing settings', () => {
  it('are off unless an OTLP endpoint is configured', () => {
    expect(readTracingSettings({}).settings.enabled).toBe(false);
    expect(readTracingSettings({ OTEL_SERVICE_NAME: 'x' }).settings.enabled).toBe(false);
    expect(readTracingSettings(collector).settings.enabled).toBe(true);
    expect(
      readTracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' })
        .settings.enabled,
    ).toBe(true);
  });

  it('can be switched off with the standard variables even when an endpoint is set', () => {
    expect(readTracingSettings({ ...collector, OTEL_SDK_DISABLED: 'true' }).settings.enabled).toBe(
      false,
    );
    expect(
      readTracingSettings({ ...collector, OTEL_TRACES_EXPORTER: 'none' }).settings.enabled,
    ).toBe(false);
  });

  it('sample parent-based at a ratio, every new trace unless a ratio is given', () => {
    expect(readTracingSettings(collector)).toEqual({
      settings: {
        enabled: true,
        serviceName: 'order-service',
        sampler: 'parentbased_traceidratio',
        samplerArg: undefined,
      },
      problems: [],
    });
    expect(
      readTracingSettings({ ...collector, OTEL_TRACES_SAMPLER_ARG: '0.1', OTEL_SERVICE_NAME: 'o' })
        .settings,
    ).toMatchObject({ sampler: 'parentbased_traceidratio', samplerArg: '0.1', serviceName: 'o' });
  });

  it('name every variable that does not parse, all at once', () => {
    const { problems } = readTracingSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'adot-collector:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'udp',
      OTEL_TRACES_SAMPLER: 'sometimes',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/),
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_PROTOCOL must be one of grpc, http\/protobuf/),
      expect.stringMatching(/^OTEL_TRACES_SAMPLER must be one of/),
    ]);
    for (const ratio of ['ten percent', '1.5', '-0.1', ''])
      expect(
        readTracingSettings({ ...collector, OTEL_TRACES_SAMPLER_ARG: ratio }).problems,
        ratio,
      ).toEqual(
        ratio === '' ? [] : [expect.stringMatching(/^OTEL_TRACES_SAMPLER_ARG must be a ratio/)],
      );
  });
});
