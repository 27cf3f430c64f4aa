import type {
  AnalyticsPort,
  EmailMessage,
  NotificationsPort,
  SalesMetric,
} from '../../application/ports.ts';

/** Keeps every email it is asked to send, once per idempotency key, as the real service would. */
export class RecordingNotifications implements NotificationsPort {
  readonly sent = new Map<string, EmailMessage>();

  async sendEmail(email: EmailMessage): Promise<void> {
    this.sent.set(email.idempotencyKey, email);
  }
}

export class RecordingAnalytics implements AnalyticsPort {
  readonly recorded = new Map<string, SalesMetric>();

  async record(metric: SalesMetric): Promise<void> {
    this.recorded.set(metric.idempotencyKey, metric);
  }
}
