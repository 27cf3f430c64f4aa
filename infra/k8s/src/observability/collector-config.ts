import { stringify } from 'yaml';

/**
 * The OpenTelemetry collector configuration as a typed object, and the checks the collector itself
 * would only make at start-up (in a pod, after a deploy). Written by hand because the collector ships
 * no schema of its configuration; the rules are those of the collector's configuration docs
 * (opentelemetry.io "Collector configuration"): components are `type[/name]`, a pipeline is
 * `signal[/name]` and names only components defined in their sections, each of which must handle
 * that signal; an authenticator must be an enabled extension.
 */

export type Signal = 'traces' | 'metrics' | 'logs';
const allSignals: readonly Signal[] = ['traces', 'metrics', 'logs'];

/**
 * Components of the AWS Distro for OpenTelemetry collector (aws-otel-collector
 * `pkg/defaultcomponents/defaults.go`) that this platform may configure, with the signals each one
 * handles. Every one of them is in otelcol-contrib too, so a rendered config also runs locally.
 * A type not listed here fails synth.
 */
export const adotComponents = {
  receivers: {
    otlp: allSignals,
    prometheus: ['metrics'],
  },
  processors: {
    batch: allSignals,
    memory_limiter: allSignals,
    resource: allSignals,
    attributes: allSignals,
    filter: allSignals,
    k8sattributes: allSignals,
    resourcedetection: allSignals,
  },
  exporters: {
    prometheusremotewrite: ['metrics'],
    awsxray: ['traces'],
    awsemf: ['metrics'],
    otlp: allSignals,
    otlphttp: allSignals,
    debug: allSignals,
  },
  extensions: {
    sigv4auth: [],
    health_check: [],
    pprof: [],
    zpages: [],
  },
} as const satisfies Record<ComponentKind, Record<string, readonly Signal[]>>;

type ComponentKind = 'receivers' | 'processors' | 'exporters' | 'extensions';
type Catalogue = typeof adotComponents;
/** `type` or `type/name`, where `type` is a component of the distribution (checked by tsc, too). */
type ComponentId<K extends ComponentKind> =
  Extract<keyof Catalogue[K], string> | `${Extract<keyof Catalogue[K], string>}/${string}`;

export type ReceiverId = ComponentId<'receivers'>;
export type ProcessorId = ComponentId<'processors'>;
export type ExporterId = ComponentId<'exporters'>;
export type ExtensionId = ComponentId<'extensions'>;
export type PipelineId = Signal | `${Signal}/${string}`;

export interface Pipeline {
  readonly receivers: readonly ReceiverId[];
  readonly processors?: readonly ProcessorId[];
  readonly exporters: readonly ExporterId[];
}

/** Component settings are the component's own YAML; the ids and references are what is checked. */
export type ComponentSettings = Readonly<Record<string, unknown>> | null;

export interface CollectorConfig {
  readonly receivers: Readonly<Partial<Record<ReceiverId, ComponentSettings>>>;
  readonly processors?: Readonly<Partial<Record<ProcessorId, ComponentSettings>>>;
  readonly exporters: Readonly<Partial<Record<ExporterId, ComponentSettings>>>;
  readonly extensions?: Readonly<Partial<Record<ExtensionId, ComponentSettings>>>;
  readonly service: {
    readonly extensions?: readonly ExtensionId[];
    readonly pipelines: Readonly<Partial<Record<PipelineId, Pipeline>>>;
  };
}

const kindNames: Record<ComponentKind, string> = {
  receivers: 'receiver',
  processors: 'processor',
  exporters: 'exporter',
  extensions: 'extension',
};

function typeOf(id: string): string {
  return id.split('/')[0] ?? id;
}

function signalsOf(kind: ComponentKind, id: string): readonly Signal[] | undefined {
  return (adotComponents[kind] as Record<string, readonly Signal[]>)[typeOf(id)];
}

/** Everything the collector would reject, or silently not run, in one list; empty when valid. */
export function findCollectorConfigProblems(config: CollectorConfig): string[] {
  const problems: string[] = [];
  const defined: Record<ComponentKind, string[]> = {
    receivers: Object.keys(config.receivers),
    processors: Object.keys(config.processors ?? {}),
    exporters: Object.keys(config.exporters),
    extensions: Object.keys(config.extensions ?? {}),
  };
  const used = new Set<string>();

  for (const kind of Object.keys(defined) as ComponentKind[]) {
    for (const id of defined[kind]) {
      if (!/^[a-z0-9_]+(\/[\w.-]+)?$/.test(id)) {
        problems.push(`${kind}.${id}: a component id is type or type/name`);
      } else if (signalsOf(kind, id) === undefined) {
        const known = Object.keys(adotComponents[kind]).join(', ');
        problems.push(
          `${kind}.${id}: unknown ${kindNames[kind]} type "${typeOf(id)}" (the ADOT collector has: ${known})`,
        );
      }
    }
  }

  for (const id of config.service.extensions ?? []) {
    if (!defined.extensions.includes(id)) {
      problems.push(`service.extensions: "${id}" is not defined under extensions`);
    }
    used.add(`extensions/${id}`);
  }

  const pipelines = Object.entries(config.service.pipelines) as [string, Pipeline][];
  if (pipelines.length === 0)
    problems.push('service.pipelines: no pipeline, the collector does nothing');
  for (const [pipelineId, pipeline] of pipelines) {
    const signal = typeOf(pipelineId) as Signal;
    if (!allSignals.includes(signal)) {
      problems.push(
        `service.pipelines.${pipelineId}: a pipeline is traces, metrics or logs[/name]`,
      );
      continue;
    }
    if (pipeline.receivers.length === 0) {
      problems.push(`service.pipelines.${pipelineId}: needs at least one receiver`);
    }
    if (pipeline.exporters.length === 0) {
      problems.push(`service.pipelines.${pipelineId}: needs at least one exporter`);
    }
    const references: [ComponentKind, readonly string[]][] = [
      ['receivers', pipeline.receivers],
      ['processors', pipeline.processors ?? []],
      ['exporters', pipeline.exporters],
    ];
    for (const [kind, ids] of references) {
      for (const id of ids) {
        used.add(`${kind}/${id}`);
        if (!defined[kind].includes(id)) {
          problems.push(
            `service.pipelines.${pipelineId}: ${kindNames[kind]} "${id}" is not defined under ${kind}`,
          );
        } else if (!(signalsOf(kind, id) ?? allSignals).includes(signal)) {
          problems.push(
            `service.pipelines.${pipelineId}: ${kindNames[kind]} "${id}" does not handle ${signal}`,
          );
        }
      }
    }
  }

  // An exporter's authenticator is an extension that must be defined and enabled in service.
  for (const [id, settings] of Object.entries(config.exporters)) {
    const authenticator = (settings as { auth?: { authenticator?: string } } | null)?.auth
      ?.authenticator;
    if (
      authenticator !== undefined &&
      !(config.service.extensions ?? []).includes(authenticator as ExtensionId)
    ) {
      problems.push(
        `exporters.${id}: authenticator "${authenticator}" is not an enabled extension`,
      );
    }
  }

  for (const kind of ['receivers', 'processors', 'exporters', 'extensions'] as const) {
    for (const id of defined[kind]) {
      if (!used.has(`${kind}/${id}`)) {
        problems.push(`${kind}.${id}: defined but used by no pipeline (dead configuration)`);
      }
    }
  }
  return problems;
}

export function assertValidCollectorConfig(config: CollectorConfig): void {
  const problems = findCollectorConfigProblems(config);
  if (problems.length > 0) {
    throw new Error(`Invalid collector configuration:\n- ${problems.join('\n- ')}`);
  }
}

/** The collector's YAML, after validation: an invalid configuration never leaves this function. */
export function renderCollectorConfig(config: CollectorConfig): string {
  assertValidCollectorConfig(config);
  // lineWidth 0: never fold long strings (relabel regexes, CDK tokens).
  return stringify(config, { lineWidth: 0 });
}
