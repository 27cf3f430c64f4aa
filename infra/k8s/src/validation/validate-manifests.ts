import { Ajv } from 'ajv';
import { customResourceSchemas } from './custom-resource-schemas.ts';
import { kubernetesModels } from './kubernetes-models-registry.ts';

export interface ManifestProblem {
  /** `Kind/namespace/name` of the offending object. */
  readonly object: string;
  readonly problem: string;
}

interface ObjectHeader {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

const ajv = new Ajv({ allErrors: true, strict: false });
const customValidators = new Map(
  [...customResourceSchemas].map(([key, schema]) => [key, ajv.compile(schema)] as const),
);

function describe(object: ObjectHeader): string {
  const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
  return [object.kind, namespace, object.metadata?.name].filter(Boolean).join('/');
}

/**
 * Checks every object against the Kubernetes OpenAPI schema (kubernetes-models), the Prometheus
 * Operator CRD schemas, or this package's schemas for the remaining custom resources. An object of
 * any other kind is a problem too: nothing ships unchecked.
 */
export function validateManifests(objects: readonly unknown[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const object of objects as readonly ObjectHeader[]) {
    const key = `${String(object.apiVersion)}/${String(object.kind)}`;
    const model = kubernetesModels.get(key);
    const custom = customValidators.get(key);
    try {
      if (model) {
        new model(object).validate();
      } else if (custom) {
        if (!custom(object)) {
          const details = (custom.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
          throw new Error(details.join(', '));
        }
      } else {
        throw new Error(`no schema for ${key}`);
      }
    } catch (error) {
      problems.push({ object: describe(object), problem: (error as Error).message });
    }
  }
  return problems;
}

export function assertValidManifests(objects: readonly unknown[]): void {
  const problems = validateManifests(objects);
  if (problems.length > 0) {
    const lines = problems.map(({ object, problem }) => `- ${object}: ${problem}`);
    throw new Error(`Invalid Kubernetes objects:\n${lines.join('\n')}`);
  }
}
