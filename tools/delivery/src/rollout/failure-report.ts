import type { PodFailure, RolloutVerdict } from './rollout-verdict.ts';

/** What the gate fetched about a failed pod: its recent events and its last log lines. */
export interface PodDiagnosis {
  readonly pod: string;
  readonly events: readonly {
    readonly type?: string;
    readonly reason?: string;
    readonly message?: string;
    readonly count?: number;
  }[];
  readonly logLines: readonly string[];
  /** Why there are no log lines (e.g. the container never started). */
  readonly logError?: string;
}

export function describeVerdict(verdict: RolloutVerdict): string {
  return `${verdict.kind === 'failed' ? `failed (${verdict.reason})` : verdict.kind}: ${verdict.summary}`;
}

/** Which pods failed and why, as markdown for the job summary and the terminal. */
export function describeFailure(
  verdict: RolloutVerdict,
  diagnoses: readonly PodDiagnosis[],
): string {
  if (verdict.kind !== 'failed') return `${describeVerdict(verdict)}\n`;
  const lines = [`**Rollout ${describeVerdict(verdict)}**`, ''];
  if (verdict.pods.length > 0) {
    lines.push(
      '| Pod | Container | Reason | Restarts | Last exit |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const pod of verdict.pods) lines.push(podRow(pod));
    lines.push('');
  }
  for (const diagnosis of diagnoses) {
    lines.push(`#### ${diagnosis.pod}`, '');
    const message = verdict.pods.find((p) => p.pod === diagnosis.pod)?.message;
    if (message) lines.push(`> ${message}`, '');
    if (diagnosis.events.length > 0) {
      lines.push('Events:', '');
      for (const event of diagnosis.events) {
        const times = event.count && event.count > 1 ? ` (x${event.count})` : '';
        lines.push(
          `- ${event.type ?? ''} ${event.reason ?? ''}${times}: ${event.message ?? ''}`.replace(
            /\s+/g,
            ' ',
          ),
        );
      }
      lines.push('');
    }
    if (diagnosis.logLines.length > 0) {
      lines.push('Last log lines:', '', '```text', ...diagnosis.logLines, '```', '');
    } else if (diagnosis.logError) {
      lines.push(`No log lines: ${diagnosis.logError}`, '');
    }
  }
  return `${lines.join('\n')}\n`;
}

function podRow(pod: PodFailure): string {
  const exit = pod.lastTermination
    ? `${pod.lastTermination.reason ?? ''} ${pod.lastTermination.exitCode ?? ''}`.trim()
    : '';
  return `| ${pod.pod} | ${pod.container ?? ''} | ${pod.reason} | ${pod.restartCount ?? ''} | ${exit} |`;
}
