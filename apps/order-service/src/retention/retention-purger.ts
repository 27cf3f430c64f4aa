import type { Logger } from 'pino';
import type { Transactional } from '../adapters/postgres/database.ts';
import { RepeatingTask } from '../application/repeating-task.ts';
import type { RetainedTable } from '../adapters/postgres/retention.ts';
import { purgeExpiredBatch } from '../adapters/postgres/retention.ts';
import type { ServiceMetrics } from '../observability/metrics.ts';

export interface RetentionOptions {
  /** Idempotency records older than this are deleted; a request reusing their key is a new request. */
  readonly idempotencyMs: number;
  /** Ids of consumed messages older than this are deleted (longer than a message can come back). */
  readonly processedMessagesMs: number;
  /** Time from the end of one run to the start of the next. */
  readonly intervalMs: number;
  /** Rows deleted per statement. */
  readonly batchSize: number;
  /** Pause between two batches, leaving the database to the requests. */
  readonly pauseMs: number;
}

export interface PurgeReport {
  /** done: nothing expired is left; skipped: another replica was purging, so this run left it the rest. */
  readonly outcome: 'done' | 'skipped';
  readonly deleted: Readonly<Record<RetainedTable, number>>;
  readonly batches: number;
  readonly durationMs: number;
}

export interface PurgerDependencies {
  readonly db: Transactional;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly metrics: Pick<ServiceMetrics, 'retentionPurged' | 'retentionRuns'>;
}

/**
 * Keeps the tables that only exist to recognise a repeat bounded: every `intervalMs`, deletes idempotency
 * records and processed message ids older than their retention, `batchSize` rows per statement with a
 * pause in between. Each batch is a short transaction under an advisory lock: one replica deletes at a
 * time, and a replica that finds the lock taken ends its run, leaving the rest to the one purging. Nothing
 * is held between batches (no connection, no lock, no row), so requests wait at most for one batch's
 * connection, never for a row: the batch skips rows a request holds.
 */
export class RetentionPurger {
  private readonly deps: PurgerDependencies;
  private readonly options: RetentionOptions;
  private readonly task: RepeatingTask;

  constructor(deps: PurgerDependencies, options: RetentionOptions) {
    this.deps = deps;
    this.options = options;
    this.task = new RepeatingTask({
      run: () => this.purge(),
      intervalMs: options.intervalMs,
      onError: (error) => {
        deps.metrics.retentionRuns.inc({ outcome: 'failed' });
        deps.logger.error({ err: error }, 'retention purge failed; the next run will retry');
      },
    });
  }

  start(): void {
    this.task.start();
  }

  /** Ends the loop: a run in progress stops after its current batch. */
  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One run: every expired row of both tables, batch by batch, unless another replica is purging. */
  async purge(): Promise<PurgeReport> {
    const started = performance.now();
    const now = this.deps.clock().getTime();
    const cutoffs: Readonly<Record<RetainedTable, Date>> = {
      idempotency_keys: new Date(now - this.options.idempotencyMs),
      processed_messages: new Date(now - this.options.processedMessagesMs),
    };
    const deleted: Record<RetainedTable, number> = { idempotency_keys: 0, processed_messages: 0 };
    let batches = 0;
    let outcome: PurgeReport['outcome'] = 'done';
    run: for (const table of ['idempotency_keys', 'processed_messages'] as const) {
      for (;;) {
        if (batches > 0) await this.task.pause(this.options.pauseMs);
        if (this.task.stopped) break run;
        const count = await purgeExpiredBatch(
          this.deps.db,
          table,
          cutoffs[table],
          this.options.batchSize,
        );
        if (count === undefined) {
          outcome = 'skipped';
          break run;
        }
        batches++;
        deleted[table] += count;
        this.deps.metrics.retentionPurged.inc({ table }, count);
        if (count < this.options.batchSize) break;
      }
    }
    const report = { outcome, deleted, batches, durationMs: performance.now() - started };
    this.deps.metrics.retentionRuns.inc({ outcome });
    this.deps.logger.info(
      { ...report, durationMs: Math.round(report.durationMs), cutoffs },
      outcome === 'done'
        ? 'retention purge deleted expired rows'
        : 'retention purge stopped: another replica is purging',
    );
    return report;
  }
}
