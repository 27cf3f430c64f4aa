import { describe, expect, it } from 'vitest';
import { recorded } from '../testing/recorded-rollouts.ts';
import { describeFailure } from './failure-report.ts';
import { assessRollout } from './rollout-verdict.ts';

describe('the report of a failed rollout', () => {
  const answers = recorded('crash-loop');
  const verdict = assessRollout(
    answers,
    { container: 'order-service', image: answers.expectedImage, service: 'order-service' },
    { now: 0, deadline: 1 },
  );
  const report = describeFailure(verdict, [
    {
      pod: 'order-service-7d9f8c6b5a-x2k9p',
      events: [
        {
          type: 'Warning',
          reason: 'BackOff',
          message: 'Back-off restarting failed container order-service',
          count: 4,
        },
      ],
      logLines: [
        '{"level":60,"msg":"start-up failed: DB_SECRET_ID order-service/db: AccessDeniedException"}',
      ],
    },
  ]);

  it('names each failed pod with its reason, restarts and last exit', () => {
    expect(report).toContain('**Rollout failed (crash-loop): 1 new pod crash-loop');
    expect(report).toContain(
      '| order-service-7d9f8c6b5a-x2k9p | order-service | CrashLoopBackOff | 3 | Error 1 |',
    );
  });

  it('shows the pod events and its last log lines', () => {
    expect(report).toContain(
      '- Warning BackOff (x4): Back-off restarting failed container order-service',
    );
    expect(report).toMatch(
      /Last log lines:\n\n```text\n\{"level":60,"msg":"start-up failed: DB_SECRET_ID/,
    );
  });

  it('says why a pod has no log lines', () => {
    const pullFailure = recorded('image-pull-error');
    const pulled = assessRollout(
      pullFailure,
      { container: 'order-service', image: pullFailure.expectedImage, service: 'order-service' },
      { now: 0, deadline: 1 },
    );
    const text = describeFailure(pulled, [
      {
        pod: 'order-service-7d9f8c6b5a-x2k9p',
        events: [],
        logLines: [],
        logError: 'container "order-service" is waiting to start: trying and failing to pull image',
      },
    ]);
    expect(text).toContain('> Back-off pulling image');
    expect(text).toContain('No log lines: container "order-service" is waiting to start');
  });
});
