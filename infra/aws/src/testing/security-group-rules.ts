import type { Template } from 'aws-cdk-lib/assertions';
import { resourcesOf } from './synthesized.ts';

/** One security group rule in a form a table can state: `out tcp 443 VPC endpoints security group`. */
export interface Rule {
  readonly direction: 'in' | 'out';
  readonly protocol: string;
  readonly port: string;
  readonly peer: string;
}

export const ruleText = (rule: Rule): string =>
  `${rule.direction} ${rule.protocol} ${rule.port} ${rule.peer}`;

type Raw = Record<string, unknown>;

/** Names a rule's peer (source or destination) after what it is, from its CloudFormation value. */
export type PeerNamer = (rule: Raw) => string;

function port(rule: Raw): string {
  const [from, to] = [rule['FromPort'], rule['ToPort']];
  return from === to ? String(from) : `${String(from)}-${String(to)}`;
}

function normalise(direction: Rule['direction'], rule: Raw, name: PeerNamer): Rule {
  return { direction, protocol: String(rule['IpProtocol']), port: port(rule), peer: name(rule) };
}

/**
 * Every rule of the security group with this logical id: inline rules and the separate
 * `AWS::EC2::SecurityGroupIngress/Egress` resources CDK creates for references between groups.
 */
export function rulesOfGroup(template: Template, groupId: string, name: PeerNamer): Rule[] {
  const group = resourcesOf(template, 'AWS::EC2::SecurityGroup')[groupId];
  if (!group) throw new Error(`no security group ${groupId} in the template`);
  const inline = (key: string) => (group.Properties?.[key] ?? []) as Raw[];
  const separate = (type: string) =>
    Object.values(resourcesOf(template, type))
      .map((resource) => resource.Properties ?? {})
      .filter(
        (rule) =>
          JSON.stringify(rule['GroupId']) ===
          JSON.stringify({ 'Fn::GetAtt': [groupId, 'GroupId'] }),
      );
  return [
    ...[...inline('SecurityGroupIngress'), ...separate('AWS::EC2::SecurityGroupIngress')].map(
      (rule) => normalise('in', rule, name),
    ),
    ...[...inline('SecurityGroupEgress'), ...separate('AWS::EC2::SecurityGroupEgress')].map(
      (rule) => normalise('out', rule, name),
    ),
  ];
}

/** Rules of an imported group (the EKS cluster group) that this template adds, by its id value. */
export function rulesAddedTo(template: Template, groupIdValue: unknown, name: PeerNamer): Rule[] {
  const matches = (type: string) =>
    Object.values(resourcesOf(template, type))
      .map((resource) => resource.Properties ?? {})
      .filter((rule) => JSON.stringify(rule['GroupId']) === JSON.stringify(groupIdValue));
  return [
    ...matches('AWS::EC2::SecurityGroupIngress').map((rule) => normalise('in', rule, name)),
    ...matches('AWS::EC2::SecurityGroupEgress').map((rule) => normalise('out', rule, name)),
  ];
}

/**
 * The rows of the markdown table that follows `marker` in a document: one cell array per row,
 * header and separator rows left out.
 */
export function markdownTableAfter(document: string, marker: string): string[][] {
  const start = document.indexOf(marker);
  if (start < 0) throw new Error(`marker "${marker}" not found`);
  const lines = document.slice(start + marker.length).split('\n');
  const table = lines.slice(lines.findIndex((line) => line.startsWith('|')));
  const rows: string[][] = [];
  for (const line of table) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2);
}
