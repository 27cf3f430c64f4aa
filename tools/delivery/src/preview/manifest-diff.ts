import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';

/**
 * The diff of the Kubernetes objects a deploy would apply, as YAML. `cdk diff` shows the chart as
 * one long JSON string inside a custom resource; this renders each object of the deployed and the
 * proposed template and compares them object by object, so an approver reads what changes.
 */
export interface CloudFormationTemplate {
  readonly Resources?: Readonly<
    Record<string, { readonly Type?: string; readonly Properties?: Record<string, unknown> }>
  >;
}

const kubernetesResourceType = 'Custom::AWSCDK-EKS-KubernetesResource';

interface KubeObject {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/**
 * A CloudFormation value as text. Values CloudFormation fills in at deploy time stay readable
 * placeholders (`${PodSecurityGroup.GroupId}`), equal on both sides when the intrinsic is equal.
 */
function intrinsicText(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as Record<string, unknown>)['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(intrinsicText).join(join[0]);
  return `\${${expression(value)}}`;
}

/** An intrinsic as a short expression: `Repo.Arn`, `Select(4, Split(':', Repo.Arn))`. */
function expression(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number') return String(value);
  const intrinsic = value as Record<string, unknown>;
  if (typeof intrinsic['Ref'] === 'string') return intrinsic['Ref'];
  const getAtt = intrinsic['Fn::GetAtt'] as string[] | undefined;
  if (getAtt) return getAtt.join('.');
  const [name, args] = Object.entries(intrinsic)[0] ?? ['?', []];
  const list = Array.isArray(args) ? args : [args];
  return `${name.replace(/^Fn::/, '')}(${list.map(expression).join(', ')})`;
}

/** Every Kubernetes object of the template, keyed `kind namespace/name`. */
export function kubernetesObjects(
  template: CloudFormationTemplate | undefined,
): Map<string, KubeObject> {
  const objects = new Map<string, KubeObject>();
  for (const [logicalId, resource] of Object.entries(template?.Resources ?? {})) {
    if (resource.Type !== kubernetesResourceType) continue;
    const manifest = resource.Properties?.['Manifest'];
    if (manifest === undefined) continue;
    const parsed = JSON.parse(intrinsicText(manifest)) as KubeObject[];
    for (const object of parsed) {
      const namespace = object.metadata?.namespace ?? '';
      const key = `${object.kind ?? '?'} ${namespace ? `${namespace}/` : ''}${object.metadata?.name ?? logicalId}`;
      objects.set(key, object);
    }
  }
  return objects;
}

/** One value per line (no folding), so a changed value is one changed line. */
const yaml = (object: unknown) => stringify(object, { lineWidth: 0 });

export interface ManifestDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** Unified diff of every object that differs (empty when nothing does). */
  readonly patch: string;
}

export function manifestDiff(
  deployed: CloudFormationTemplate | undefined,
  proposed: CloudFormationTemplate,
): ManifestDiff {
  const before = kubernetesObjects(deployed);
  const after = kubernetesObjects(proposed);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  const patches: string[] = [];
  for (const key of keys) {
    const old = before.has(key) ? yaml(before.get(key)) : '';
    const now = after.has(key) ? yaml(after.get(key)) : '';
    if (old === now) continue;
    (old === '' ? added : now === '' ? removed : changed).push(key);
    patches.push(createTwoFilesPatch(key, key, old, now, 'deployed', 'proposed', { context: 3 }));
  }
  return { added, removed, changed, patch: patches.join('\n') };
}

export function describeManifestDiff(diff: ManifestDiff): string {
  if (diff.patch === '') return 'No Kubernetes object changes.\n';
  const list = (label: string, keys: readonly string[]) =>
    keys.length > 0 ? [`- ${label}: ${keys.map((k) => `\`${k}\``).join(', ')}`] : [];
  return [
    ...list('Changed', diff.changed),
    ...list('Added', diff.added),
    ...list('Removed', diff.removed),
    '',
    '```diff',
    diff.patch.trimEnd(),
    '```',
    '',
  ].join('\n');
}
