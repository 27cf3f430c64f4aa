import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  findCollectorConfigProblems,
  renderCollectorConfig,
  type CollectorConfig,
} from './collector-config.ts';
import { exampleCollectorChartProps } from '../config/collector.ts';
import { localCollectorConfig } from './order-platform-collector-config.ts';

const minimal: CollectorConfig = {
  receivers: { otlp: { protocols: { http: {} } } },
  processors: { batch: {} },
  exporters: { awsxray: { region: 'eu-central-1' } },
  service: {
    pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['awsxray'] } },
  },
};

/** Casts a deliberately broken config past the compile-time checks, as a typo in YAML would be. */
const broken = (config: unknown) => config as CollectorConfig;

describe('collector configuration validation', () => {
  it('accepts the deployed configuration of both environments and the local one', () => {
    expect(findCollectorConfigProblems(exampleCollectorChartProps('dev').config)).toEqual([]);
    expect(findCollectorConfigProblems(exampleCollectorChartProps('prod').config)).toEqual([]);
    expect(findCollectorConfigProblems(localCollectorConfig())).toEqual([]);
    expect(findCollectorConfigProblems(minimal)).toEqual([]);
  });

  it('rejects a component type the ADOT collector does not have, naming the ones it has', () => {
    const config = broken({
      ...minimal,
      exporters: { awsxray: {}, 'awsxrays/backup': {} },
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], exporters: ['awsxray', 'awsxrays/backup'] },
        },
      },
      processors: {},
    });
    expect(findCollectorConfigProblems(config)).toEqual([
      expect.stringMatching(
        /^exporters\.awsxrays\/backup: unknown exporter type "awsxrays" \(the ADOT collector has: .*awsxray/,
      ),
    ]);
  });

  it('rejects a pipeline that names a component its section does not define', () => {
    const config = broken({
      ...minimal,
      service: {
        pipelines: {
          traces: {
            receivers: ['otlp', 'otlp/kafka'],
            processors: ['batch', 'memory_limiter'],
            exporters: ['awsxray'],
          },
        },
      },
    });
    expect(findCollectorConfigProblems(config)).toEqual([
      'service.pipelines.traces: receiver "otlp/kafka" is not defined under receivers',
      'service.pipelines.traces: processor "memory_limiter" is not defined under processors',
    ]);
  });

  it('rejects a component in a pipeline of a signal it does not handle', () => {
    const config = broken({
      ...minimal,
      receivers: { ...minimal.receivers, prometheus: { config: {} } },
      service: {
        pipelines: {
          traces: {
            receivers: ['otlp', 'prometheus'],
            processors: ['batch'],
            exporters: ['awsxray'],
          },
          metrics: { receivers: ['prometheus'], exporters: ['awsxray'] },
        },
      },
    });
    expect(findCollectorConfigProblems(config)).toEqual([
      'service.pipelines.traces: receiver "prometheus" does not handle traces',
      'service.pipelines.metrics: exporter "awsxray" does not handle metrics',
    ]);
  });

  it('rejects unknown pipeline signals and pipelines without receivers or exporters', () => {
    const config = broken({
      ...minimal,
      service: {
        pipelines: {
          traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['awsxray'] },
          spans: { receivers: ['otlp'], exporters: ['awsxray'] },
          'traces/empty': { receivers: [], exporters: [] },
        },
      },
    });
    expect(findCollectorConfigProblems(config)).toEqual([
      'service.pipelines.spans: a pipeline is traces, metrics or logs[/name]',
      'service.pipelines.traces/empty: needs at least one receiver',
      'service.pipelines.traces/empty: needs at least one exporter',
    ]);
  });

  it('rejects an exporter whose authenticator is not an enabled extension', () => {
    const config: CollectorConfig = {
      receivers: { prometheus: { config: {} } },
      exporters: {
        prometheusremotewrite: { endpoint: 'https://aps', auth: { authenticator: 'sigv4auth' } },
      },
      extensions: { sigv4auth: { region: 'eu-central-1' } },
      service: {
        pipelines: { metrics: { receivers: ['prometheus'], exporters: ['prometheusremotewrite'] } },
      },
    };
    expect(findCollectorConfigProblems(config)).toEqual([
      'exporters.prometheusremotewrite: authenticator "sigv4auth" is not an enabled extension',
      'extensions.sigv4auth: defined but used by no pipeline (dead configuration)',
    ]);
  });

  it('rejects components that no pipeline uses', () => {
    const config: CollectorConfig = { ...minimal, exporters: { awsxray: {}, debug: {} } };
    expect(findCollectorConfigProblems(config)).toEqual([
      'exporters.debug: defined but used by no pipeline (dead configuration)',
    ]);
  });

  it('renders valid configurations to YAML and refuses to render invalid ones', () => {
    expect(parse(renderCollectorConfig(minimal))).toEqual(minimal);
    expect(() => renderCollectorConfig(broken({ ...minimal, exporters: { xray: {} } }))).toThrow(
      /unknown exporter type "xray"/,
    );
  });
});
