import { evolve, initialState, type RepairTicketEvent, type RepairTicketState } from '@app/domain';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '@app/event-store';

/** Stored events → domain events: the domain's shape is `{ type, schemaVersion, data }`. */
export function toDomainEvent<E>(e: RecordedEvent): E {
  return { type: e.type, schemaVersion: e.schemaVersion, data: e.data } as E;
}

/** A stream's state: its stored events folded with the aggregate's evolve, from its initial state. */
export function foldEvents<S, E>(events: readonly RecordedEvent[], evolve: (s: S, e: E) => S, initial: S): S {
  return events.reduce((s, e) => evolve(s, toDomainEvent<E>(e)), initial);
}

/** A ticket's state from its stored events. */
export function foldTicket(events: readonly RecordedEvent[]): RepairTicketState {
  return foldEvents<RepairTicketState, RepairTicketEvent>(events, evolve, initialState);
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
