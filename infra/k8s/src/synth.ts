/**
 * `npx nx run infra-k8s:synth`: synthesizes the chart for every example config, validates each object
 * against its schema, and writes plain YAML to dist/manifests/ (for GitOps tools or review).
 * Exits non-zero on invalid props or an invalid object. IMAGE_TAG=<git sha> sets the image tag.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { exampleCollectorChartProps } from './config/collector.ts';
import { devChartProps } from './config/dev.ts';
import { prodChartProps } from './config/prod.ts';
import { AdotCollectorChart } from './observability/adot-collector-chart.ts';
import { OrderServiceChart } from './order-service-chart.ts';
import { assertValidManifests } from './validation/validate-manifests.ts';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'manifests');
mkdirSync(outDir, { recursive: true });

for (const props of [devChartProps, prodChartProps]) {
  const chart = new OrderServiceChart(new App(), `order-service-${props.envName}`, props);
  const objects = chart.toJson();
  assertValidManifests(objects);
  const file = join(outDir, `order-service.${props.envName}.yaml`);
  writeFileSync(file, objects.map((object) => stringify(object)).join('---\n'));
  console.log(`${file}: ${objects.length} objects, all valid`);

  const collector = new AdotCollectorChart(
    new App(),
    `adot-collector-${props.envName}`,
    exampleCollectorChartProps(props.envName as 'dev' | 'prod'),
  ).toJson();
  assertValidManifests(collector);
  const collectorFile = join(outDir, `adot-collector.${props.envName}.yaml`);
  writeFileSync(collectorFile, collector.map((object) => stringify(object)).join('---\n'));
  console.log(`${collectorFile}: ${collector.length} objects, all valid`);
}
