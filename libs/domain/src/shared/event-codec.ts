/**
 * The one seam between stored events and domain events. A store hands back `{ type, schemaVersion, data }`
 * as JSON; each aggregate's `<aggregate>.stream.ts` declares its event types and how an older stored schema
 * version is upcast to the current one, and everything that reads events decodes through it: nothing else
 * casts stored data to a domain event.
 */

/** An event as a store keeps it (a RecordedEvent has this shape). */
export interface StoredEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** A domain event: a string type, its schema version, and its data. */
export interface VersionedEvent {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
}

/** A stored event of a type or schema version its stream's codec does not know: a bug or a newer writer. */
export class UndecodableEventError extends Error {
  override readonly name = 'UndecodableEventError';
  constructor(
    readonly type: string,
    readonly schemaVersion: number,
    reason: string,
  ) {
    super(`cannot decode stored event ${type} v${schemaVersion}: ${reason}`);
  }
}

/**
 * Upcasters of one event type: `from` → the data at version `from + 1`. A type whose schema moves to version 2
 * gets `{ 1: (v1) => v2 }` here and its current version in `currentVersions`; readers never see version 1.
 */
export type Upcasters = Readonly<Record<number, (data: unknown) => unknown>>;

export interface EventCodec<E extends VersionedEvent> {
  readonly eventTypes: readonly E['type'][];
  /** A known type at a version this codec can read (the current one or an older one it upcasts). */
  readonly canDecode: (stored: StoredEvent) => boolean;
  /** The domain event at its current schema version; UndecodableEventError otherwise. */
  readonly decode: (stored: StoredEvent) => E;
}

/**
 * A codec for an aggregate's events. Every type is at schema version 1 unless `currentVersions` says otherwise;
 * stored versions below the current one go through the type's upcasters, one version at a time.
 */
export function eventCodec<E extends VersionedEvent>(
  eventTypes: readonly E['type'][],
  currentVersions: Readonly<Partial<Record<string, number>>> = {},
  upcasters: Readonly<Partial<Record<string, Upcasters>>> = {},
): EventCodec<E> {
  const known = new Set<string>(eventTypes);
  const currentOf = (type: E['type']): number => currentVersions[type] ?? 1;
  const canDecode = (stored: StoredEvent): boolean => {
    if (!known.has(stored.type)) return false;
    const type = stored.type as E['type'];
    const current = currentOf(type);
    if (!Number.isInteger(stored.schemaVersion) || stored.schemaVersion < 1 || stored.schemaVersion > current)
      return false;
    for (let v = stored.schemaVersion; v < current; v++) if (!upcasters[type]?.[v]) return false;
    return true;
  };
  return {
    eventTypes,
    canDecode,
    decode: (stored: StoredEvent): E => {
      if (!known.has(stored.type))
        throw new UndecodableEventError(stored.type, stored.schemaVersion, 'unknown type');
      if (!canDecode(stored))
        throw new UndecodableEventError(stored.type, stored.schemaVersion, 'unknown schema version');
      const type = stored.type as E['type'];
      const current = currentOf(type);
      let data = stored.data;
      for (let v = stored.schemaVersion; v < current; v++) data = upcasters[type]![v]!(data);
      // The one place stored JSON becomes a domain event: the type and version are checked above, and the
      // data was written by this domain's own decider (the store keeps it unchanged, hash-chained).
      return { type, schemaVersion: current, data } as unknown as E;
    },
  };
}

/** A stream's state: its stored events decoded and folded with the aggregate's evolve. */
export function foldStream<S, E extends VersionedEvent>(
  stored: readonly StoredEvent[],
  codec: EventCodec<E>,
  evolve: (state: S, event: E) => S,
  initial: S,
): S {
  return stored.reduce((s, e) => evolve(s, codec.decode(e)), initial);
}

/**
 * An aggregate as the generic command handler uses it (Emmett's Decider, plus its stream's codec):
 * decide, evolve, the initial state and how its stored events are read.
 */
export interface StreamDecider<C, S, E extends VersionedEvent> {
  readonly decide: (command: C, state: S) => E[];
  readonly evolve: (state: S, event: E) => S;
  readonly initialState: S;
  readonly decode: (stored: StoredEvent) => E;
}

/** An aggregate's decide, evolve and initial state, reading its stored events through its stream's codec. */
export function streamDecider<C, S, E extends VersionedEvent>(
  codec: EventCodec<E>,
  decide: (command: C, state: S) => E[],
  evolve: (state: S, event: E) => S,
  initialState: S,
): StreamDecider<C, S, E> {
  return { decide, evolve, initialState, decode: codec.decode };
}

/** The names of a family of streams, one per aggregate instance: `<prefix><id>` (`partner-P-001`). */
export function streamNames(prefix: string): (id: string) => string {
  return (id) => `${prefix}${id}`;
}
