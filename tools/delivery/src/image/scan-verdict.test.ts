import { describe, expect, it } from 'vitest';
import { assessScan, describeScan, type ScanFindingsAnswer } from './scan-verdict.ts';

const finished = (
  status: string,
  counts: Record<string, number>,
  findings: NonNullable<ScanFindingsAnswer['imageScanFindings']>['enhancedFindings'] = [],
): ScanFindingsAnswer => ({
  imageScanStatus: { status },
  imageScanFindings: { findingSeverityCounts: counts, enhancedFindings: findings },
});

const criticalOpenssl = {
  severity: 'CRITICAL',
  title: 'CVE-2026-0001 - openssl',
  packageVulnerabilityDetails: {
    vulnerabilityId: 'CVE-2026-0001',
    vulnerablePackages: [{ name: 'openssl', version: '3.5.1' }],
  },
};

describe('promotion gate on ECR enhanced scan findings', () => {
  it('passes an image whose finished scan has no critical finding', () => {
    const verdict = assessScan(finished('ACTIVE', { HIGH: 2, MEDIUM: 5 }));
    expect(verdict).toEqual({ kind: 'pass', summary: 'no critical finding (2 high, 5 medium)' });
  });

  it('blocks an image with a critical finding and names it', () => {
    const verdict = assessScan(finished('COMPLETE', { CRITICAL: 1, HIGH: 2 }, [criticalOpenssl]));
    expect(verdict).toMatchObject({
      kind: 'block',
      summary: '1 critical finding (1 critical, 2 high)',
      critical: [criticalOpenssl],
    });
    expect(describeScan(verdict, 'repo@sha256:1')).toContain(
      '| CVE-2026-0001 | openssl@3.5.1 | CVE-2026-0001 - openssl |',
    );
  });

  it.each([
    undefined,
    { imageScanStatus: { status: 'PENDING' } },
    { imageScanStatus: { status: 'IN_PROGRESS' } },
  ])('waits while the scan has not finished (%j)', (answer) => {
    expect(assessScan(answer).kind).toBe('wait');
  });

  it.each(['FAILED', 'UNSUPPORTED_IMAGE', 'FINDINGS_UNAVAILABLE', 'SCAN_ELIGIBILITY_EXPIRED'])(
    'fails closed when the scan cannot vouch for the image (%s)',
    (status) => {
      expect(assessScan({ imageScanStatus: { status, description: 'why' } })).toMatchObject({
        kind: 'block',
        summary: expect.stringContaining(`no usable scan result (${status}: why)`),
      });
    },
  );
});
