import type { EmailMessage, NotificationsPort } from '../../application/ports.ts';
import type { PeerClient } from './peer-client.ts';
import { PeerRejectionError } from './peer-errors.ts';

/**
 * E-mail through the existing notification service: `POST /api/v1/notify/email {to, subject, message}`.
 * It does not deduplicate today, so the client only retries what certainly was not delivered; the
 * `Idempotency-Key` header travels along for the day it does (docs/contracts/notification.openapi.yaml).
 */
export class NotificationService implements NotificationsPort {
  readonly #client: PeerClient;

  constructor(client: PeerClient) {
    this.#client = client;
  }

  async sendEmail(email: EmailMessage): Promise<void> {
    const answer = await this.#client.request({
      operation: 'send_email',
      method: 'POST',
      path: '/api/v1/notify/email',
      body: { to: email.to, subject: email.subject, message: email.message },
      idempotencyKey: email.idempotencyKey,
      // The service does not deduplicate yet: a retry after a timeout could mail twice.
      idempotent: false,
    });
    if (answer.status < 200 || answer.status >= 300) {
      throw new PeerRejectionError('notification', 'send_email', answer.status, answer.body);
    }
  }
}
