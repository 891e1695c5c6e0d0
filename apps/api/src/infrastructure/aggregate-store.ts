import type { AppendResult, EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '@app/event-store';

/** Stored events → domain events: the domain's shape is `{ type, schemaVersion, data }`. */
export function toDomainEvent<E>(e: RecordedEvent): E {
  return { type: e.type, schemaVersion: e.schemaVersion, data: e.data } as E;
}

/**
 * Appends with the revision the decision was taken on (or the caller's If-Match), so a concurrent writer
 * makes this append fail with WrongExpectedRevisionError instead of silently interleaving.
 */
export function appendDecided(
  store: EventStore,
  stream: string,
  events: readonly NewEvent[],
  loadedRevision: number | undefined,
): Promise<AppendResult> {
  const expectedRevision: ExpectedRevision = loadedRevision === undefined ? 'no_stream' : loadedRevision;
  return store.appendToStream(stream, events, { expectedRevision });
}
