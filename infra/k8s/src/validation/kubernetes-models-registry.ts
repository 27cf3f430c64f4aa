import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

/** A kubernetes-models class: built from the object, `validate()` throws on a schema violation. */
interface ModelClass {
  readonly apiVersion: string;
  readonly kind: string;
  new (data: object): { validate(): void };
}

function isModelClass(value: unknown): value is ModelClass {
  return (
    typeof value === 'function' &&
    typeof (value as Partial<ModelClass>).apiVersion === 'string' &&
    typeof (value as Partial<ModelClass>).kind === 'string'
  );
}

/**
 * The API groups the chart may emit, keyed by `apiVersion/kind`. A kind outside these groups has no
 * schema here and fails validation, so a new kind is a deliberate addition.
 */
export const kubernetesModels: ReadonlyMap<string, ModelClass> = new Map(
  [core, apps, autoscaling, networking, policy, rbac, monitoring]
    .flatMap((group) => Object.values(group))
    .filter(isModelClass)
    .map((model) => [`${model.apiVersion}/${model.kind}`, model] as const),
);
