import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { problemsOf } from '../testing/config-fixtures.ts';

describe('retention settings', () => {
  it('keep idempotency records 24 hours and processed message ids 14 days unless told otherwise', () => {
    expect(loadConfig({}).retention).toEqual({
      idempotencyMs: 24 * 3_600_000,
      processedMessagesMs: 14 * 86_400_000,
      intervalMs: 5 * 60_000,
      batchSize: 1_000,
      pauseMs: 50,
    });
  });

  it('take durations in days as well as hours, minutes, seconds and milliseconds', () => {
    const { retention } = loadConfig({
      IDEMPOTENCY_RETENTION: '2d',
      PROCESSED_MESSAGE_RETENTION: '720h',
      RETENTION_PURGE_INTERVAL: '30s',
      RETENTION_PURGE_BATCH_SIZE: '500',
      RETENTION_PURGE_PAUSE: '0',
    });
    expect(retention).toEqual({
      idempotencyMs: 2 * 86_400_000,
      processedMessagesMs: 30 * 86_400_000,
      intervalMs: 30_000,
      batchSize: 500,
      pauseMs: 0,
    });
  });

  it('stop start-up naming each variable that is too short or not a duration', () => {
    const problems = problemsOf({
      IDEMPOTENCY_RETENTION: '30m',
      PROCESSED_MESSAGE_RETENTION: '1d',
      RETENTION_PURGE_INTERVAL: 'often',
      RETENTION_PURGE_BATCH_SIZE: '0',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^IDEMPOTENCY_RETENTION: must be at least 1h/),
        expect.stringMatching(/^PROCESSED_MESSAGE_RETENTION: must be at least 7d/),
        expect.stringMatching(/^RETENTION_PURGE_INTERVAL: must be a duration/),
        expect.stringMatching(/^RETENTION_PURGE_BATCH_SIZE: /),
      ]),
    );
    expect(problems).toHaveLength(4);
  });
});
