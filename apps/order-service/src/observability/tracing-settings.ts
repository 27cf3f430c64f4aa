/**
 * Which OpenTelemetry settings the service honours, read from the standard `OTEL_*` variables. Tracing is
 * off unless an OTLP endpoint is configured: a developer's `npm start` and the tests export nothing.
 *
 * The SDK reads these variables itself and quietly falls back on a value it cannot parse (a sampling ratio
 * of "ten percent" becomes 1.0). Here they are checked first, so a bad value stops start-up with a message
 * that names it, like every other setting.
 */
export interface TracingSettings {
  readonly enabled: boolean;
  readonly serviceName: string;
  /** What the sampler does with a span that has no parent: keep this fraction of new traces. */
  readonly sampler: string;
  readonly samplerArg: string | undefined;
}

export const DEFAULT_SERVICE_NAME = 'order-service';

/** Parent-based: a caller's sampling decision is kept, so a trace is never cut in half. */
export const DEFAULT_SAMPLER = 'parentbased_traceidratio';

const SAMPLERS = new Set([
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
]);
const PROTOCOLS = new Set(['grpc', 'http/protobuf', 'http/json']);
const ENDPOINTS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] as const;

export function readTracingSettings(env: Readonly<Record<string, string | undefined>>): {
  settings: TracingSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const given = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  for (const name of ENDPOINTS) {
    const endpoint = given(name);
    if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint))
      problems.push(
        `${name} must be an http(s) URL such as http://adot-collector:4318 (is "${endpoint}")`,
      );
  }
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) {
    const protocol = given(name);
    if (protocol !== undefined && !PROTOCOLS.has(protocol))
      problems.push(`${name} must be one of ${[...PROTOCOLS].join(', ')} (is "${protocol}")`);
  }
  const sampler = given('OTEL_TRACES_SAMPLER') ?? DEFAULT_SAMPLER;
  if (!SAMPLERS.has(sampler))
    problems.push(
      `OTEL_TRACES_SAMPLER must be one of ${[...SAMPLERS].join(', ')} (is "${sampler}")`,
    );
  const samplerArg = given('OTEL_TRACES_SAMPLER_ARG');
  if (samplerArg !== undefined && sampler.endsWith('traceidratio')) {
    const ratio = Number(samplerArg);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
      problems.push(
        `OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1, e.g. 0.1 (is "${samplerArg}")`,
      );
  }

  const disabled = given('OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const exporter = given('OTEL_TRACES_EXPORTER');
  const enabled =
    !disabled && exporter !== 'none' && ENDPOINTS.some((name) => given(name) !== undefined);
  return {
    settings: {
      enabled,
      serviceName: given('OTEL_SERVICE_NAME') ?? DEFAULT_SERVICE_NAME,
      sampler,
      samplerArg,
    },
    problems,
  };
}
