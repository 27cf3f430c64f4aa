/**
 * `npx nx run infra-k8s:synth`: synthesizes the charts for every example config, validates each object
 * against its schema, and writes plain YAML to dist/manifests/ (for GitOps tools or review), in the
 * order they must be applied: log router, prerequisites (SecurityGroupPolicy), workload.
 * Exits non-zero on invalid props or an invalid object. IMAGE_TAG=<git sha> sets the image tag.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { exampleCollectorChartProps } from './config/collector.ts';
import { devChartProps, devLogRouterProps } from './config/dev.ts';
import { prodChartProps, prodLogRouterProps } from './config/prod.ts';
import { FargateLogRouterChart } from './fargate-log-router-chart.ts';
import { AdotCollectorChart } from './observability/adot-collector-chart.ts';
import { OrderServiceChart } from './order-service-chart.ts';
import { OrderServicePrerequisitesChart } from './order-service-prerequisites-chart.ts';
import { assertValidManifests } from './validation/validate-manifests.ts';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'manifests');
mkdirSync(outDir, { recursive: true });

const examples = [
  { props: devChartProps, logRouter: devLogRouterProps },
  { props: prodChartProps, logRouter: prodLogRouterProps },
];
for (const { props, logRouter } of examples) {
  const app = new App();
  // In apply order: pods get their logging and security groups only when they are created.
  const objects = [
    new FargateLogRouterChart(app, 'fargate-log-router', logRouter),
    new OrderServicePrerequisitesChart(app, 'order-service-prerequisites', props),
    new OrderServiceChart(app, 'order-service', props),
  ].flatMap((chart) => chart.toJson());
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
