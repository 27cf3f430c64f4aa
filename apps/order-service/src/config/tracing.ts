import { z } from 'zod';
import { configPart } from './part.ts';
import { Problems } from './problems.ts';
import { optionalText, withoutEmptyValues } from './variables.ts';

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
const PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'] as const;

const endpoint = optionalText.pipe(
  z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:4318' })
    .optional(),
);
const protocol = optionalText.pipe(
  z.enum(PROTOCOLS, { error: `must be one of ${PROTOCOLS.join(', ')}` }).optional(),
);

/**
 * OpenTelemetry tracing, from the standard `OTEL_*` variables (the SDK reads the exporter's own ones too).
 * Off unless an OTLP endpoint is configured. The SDK quietly falls back on a value it cannot parse (a
 * ratio of "ten percent" becomes 1); here such a value stops start-up like any other bad setting.
 */
export const tracing = configPart({
  variables: {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol,
    OTEL_TRACES_EXPORTER: optionalText,
    OTEL_SDK_DISABLED: optionalText,
    OTEL_SERVICE_NAME: z.string().trim().min(1).default('order-service'),
    // Parent-based: a caller's sampling decision is kept, so a trace is never cut in half.
    OTEL_TRACES_SAMPLER: z
      .enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` })
      .default('parentbased_traceidratio'),
    OTEL_TRACES_SAMPLER_ARG: optionalText.transform((text, context) => {
      if (text === undefined) return undefined;
      const ratio = Number(text);
      if (Number.isFinite(ratio) && ratio >= 0 && ratio <= 1) return ratio;
      context.addIssue({ code: 'custom', message: 'must be a ratio between 0 and 1, e.g. 0.1' });
      return z.NEVER;
    }),
  },
  build(env) {
    const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const switchedOff =
      env.OTEL_SDK_DISABLED?.toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER === 'none';
    return {
      tracing: {
        /** Where spans go; undefined: tracing is off. */
        endpoint: switchedOff ? undefined : endpoint,
        serviceName: env.OTEL_SERVICE_NAME,
        sampler: env.OTEL_TRACES_SAMPLER,
        /** Share of new traces kept by the ratio samplers. */
        ratio: env.OTEL_TRACES_SAMPLER_ARG ?? 1,
      },
    };
  },
});

export type TracingConfig = ReturnType<(typeof tracing)['build']>['tracing'];

/**
 * The tracing settings alone, for src/instrument.ts, which runs before anything else: undefined when a
 * value does not parse (main.ts then refuses to start, naming it, with every other problem).
 */
export function readTracingConfig(environment: NodeJS.ProcessEnv): TracingConfig | undefined {
  const env = withoutEmptyValues(environment);
  const parsed = z.object(tracing.variables).safeParse(env);
  if (!parsed.success) return undefined;
  const production = env.NODE_ENV === 'production';
  return tracing.build(parsed.data, new Problems(), { production }).tracing;
}
