/**
 * Whether an image may be promoted, from ECR's answer to DescribeImageScanFindings. Fails closed:
 * an image whose scan failed, expired or is unsupported is blocked like one with a critical finding.
 */
export interface ScanFindingsAnswer {
  readonly imageScanStatus?: { readonly status?: string; readonly description?: string };
  readonly imageScanFindings?: {
    readonly findingSeverityCounts?: Readonly<Record<string, number>>;
    readonly enhancedFindings?: readonly EnhancedFinding[];
  };
}

export interface EnhancedFinding {
  readonly severity?: string;
  readonly title?: string;
  readonly packageVulnerabilityDetails?: {
    readonly vulnerabilityId?: string;
    readonly vulnerablePackages?: readonly { readonly name?: string; readonly version?: string }[];
  };
}

export type ScanVerdict =
  | { readonly kind: 'pass'; readonly summary: string }
  | { readonly kind: 'wait'; readonly summary: string }
  | {
      readonly kind: 'block';
      readonly summary: string;
      readonly critical: readonly EnhancedFinding[];
    };

// ECR ScanStatus values. ACTIVE: an enhanced (continuous) scan finished and keeps watching.
const finished = new Set(['COMPLETE', 'ACTIVE']);
const underway = new Set(['PENDING', 'IN_PROGRESS']);

/** `undefined` answer: ECR has no scan for the image yet (ScanNotFoundException). */
export function assessScan(
  answer: ScanFindingsAnswer | undefined,
  blockOn = 'CRITICAL',
): ScanVerdict {
  const status = answer?.imageScanStatus?.status;
  if (status === undefined || underway.has(status)) {
    return { kind: 'wait', summary: `scan ${status?.toLowerCase() ?? 'not started'}` };
  }
  if (!finished.has(status)) {
    const why = answer?.imageScanStatus?.description;
    return {
      kind: 'block',
      summary: `no usable scan result (${status}${why ? `: ${why}` : ''}): cannot show the image is free of ${blockOn.toLowerCase()} findings`,
      critical: [],
    };
  }
  const counts = answer?.imageScanFindings?.findingSeverityCounts ?? {};
  const blocking = counts[blockOn] ?? 0;
  const tally = Object.entries(counts)
    .map(([severity, count]) => `${count} ${severity.toLowerCase()}`)
    .join(', ');
  if (blocking === 0) {
    return {
      kind: 'pass',
      summary: `no ${blockOn.toLowerCase()} finding (${tally || 'no findings'})`,
    };
  }
  return {
    kind: 'block',
    summary: `${blocking} ${blockOn.toLowerCase()} finding${blocking === 1 ? '' : 's'} (${tally})`,
    critical: (answer?.imageScanFindings?.enhancedFindings ?? []).filter(
      (finding) => finding.severity === blockOn,
    ),
  };
}

/** The verdict as the job summary shows it. */
export function describeScan(verdict: ScanVerdict, reference: string): string {
  const lines = [
    `### Vulnerability scan of \`${reference}\``,
    '',
    `**${verdict.kind}**: ${verdict.summary}`,
  ];
  if (verdict.kind === 'block' && verdict.critical.length > 0) {
    lines.push('', '| Finding | Package | Title |', '| --- | --- | --- |');
    for (const finding of verdict.critical.slice(0, 20)) {
      const details = finding.packageVulnerabilityDetails;
      const packages = (details?.vulnerablePackages ?? [])
        .map((p) => `${p.name ?? '?'}@${p.version ?? '?'}`)
        .join(', ');
      lines.push(`| ${details?.vulnerabilityId ?? '?'} | ${packages} | ${finding.title ?? ''} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
