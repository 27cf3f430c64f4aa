/** Some events of a batch were not accepted by the broker; the outbox keeps them and tries again. */
export class EventPublishError extends Error {
  /** The ids of the events that were not accepted, with the broker's reason. */
  readonly failures: readonly { readonly eventId: string; readonly reason: string }[];

  constructor(
    message: string,
    failures: readonly { eventId: string; reason: string }[],
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'EventPublishError';
    this.failures = failures;
  }
}
