import type { AppendResult, EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '@app/event-store';

export interface Loaded<S> {
  readonly state: S;
  /** Undefined when the stream does not exist yet. */
  readonly revision: number | undefined;
}

export interface Evolver<S, E> {
  readonly initialState: S;
  readonly evolve: (state: S, event: E) => S;
}

/** Stored events → domain events: the domain's shape is `{ type, schemaVersion, data }`. */
export function toDomainEvent<E>(e: RecordedEvent): E {
  return { type: e.type, schemaVersion: e.schemaVersion, data: e.data } as E;
}

export async function loadAggregate<S, E>(
  store: EventStore,
  stream: string,
  d: Evolver<S, E>,
): Promise<Loaded<S>> {
  const events = await store.readStream(stream);
  const state = events.reduce((s, e) => d.evolve(s, toDomainEvent<E>(e)), d.initialState);
  return { state, revision: events.at(-1)?.revision };
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
