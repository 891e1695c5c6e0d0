/** Typed errors of the event store port; the HTTP edge maps them (409 / 400). */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: string,
    /** The stream's actual revision, undefined when it does not exist. */
    readonly actualRevision: number | undefined,
  ) {
    super(`stream ${stream}: expected revision ${expected}, actual ${actualRevision ?? 'no stream'}`);
  }
}

/** An event id already stored with different content (or in another stream). */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(readonly eventId: string) {
    super(`event id ${eventId} is already stored with different content`);
  }
}

export class InvalidEventStoreInputError extends Error {
  override readonly name = 'InvalidEventStoreInputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
