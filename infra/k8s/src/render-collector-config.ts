/**
 * `npx nx run infra-k8s:collector-config`: writes the collector configurations, validated, to
 * dist/collector/: `local.yaml` (OTLP on 127.0.0.1:4317/4318 and the service's /metrics on :9464,
 * printed to stdout) for `otelcol-contrib --config dist/collector/local.yaml`, and the deployed
 * configuration of each example environment for review (docs/operations.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleCollectorChartProps } from './config/collector.ts';
import { renderCollectorConfig } from './observability/collector-config.ts';
import { localCollectorConfig } from './observability/order-platform-collector-config.ts';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'collector');
mkdirSync(outDir, { recursive: true });

const configs = {
  local: localCollectorConfig(),
  dev: exampleCollectorChartProps('dev').config,
  prod: exampleCollectorChartProps('prod').config,
};
for (const [name, config] of Object.entries(configs)) {
  const file = join(outDir, `${name}.yaml`);
  writeFileSync(file, renderCollectorConfig(config));
  console.log(`${file}: valid`);
}
