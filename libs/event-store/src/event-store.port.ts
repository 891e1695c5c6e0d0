/**
 * The event store port. Every adapter (PostgreSQL server, embedded PGlite, EventStoreDB) implements it and
 * passes the one contract suite in `contract/`.
 *
 * Positions and revisions are plain numbers: stream revisions start at 0; global positions are
 * adapter-defined, strictly increasing in commit order, and safe as JS numbers (< 2^53).
 *
 * `after` (readAll, subscribeToAll) may be ANY integer >= 0 (validated), not only a position the store returned: it means
 * "events whose global position is strictly greater than it". Positions are sparse in every adapter, so a
 * caller may compute one (e.g. `position - 1`, or 0 for "from the beginning"). An adapter whose server
 * only starts at real positions (KurrentDB) resolves the number itself; that may cost a scan when the number
 * is not a position it has seen (see the adapter).
 */

/** EventStoreDB's four expectations: any, no stream, stream exists, or the exact current revision. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [k: string]: JsonValue };

export interface EventMetadata {
  readonly correlationId: string;
  readonly causationId?: string;
  /** Who acted: e.g. `partner:P-001`, `support:yamada`, `system:portal`. */
  readonly actor: string;
  /** The caller's `Idempotency-Key` of the command that produced the event, if it sent one. */
  readonly idempotencyKey?: string;
  /** sha256 of that request (method, path, body): the same key on another request is refused. */
  readonly requestFingerprint?: string;
}

/** An event to append. `id` is a UUID chosen by the caller, which makes retries idempotent. */
export interface NewEvent {
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonValue;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  readonly stream: string;
  readonly revision: number;
  readonly globalPosition: number;
  /** ISO-8601 UTC instant at which the store committed the event. */
  readonly recordedAt: string;
}

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  readonly nextExpectedRevision: number;
  /** Global position of the last appended event. */
  readonly lastGlobalPosition: number;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface AllFilter {
  readonly eventTypes?: readonly string[];
  readonly streamPrefixes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position; any number (see the top). Omit to read from the beginning. */
  readonly after?: number;
  readonly maxCount?: number;
  readonly filter?: AllFilter;
}

export interface TailOptions {
  /** Exclusive: count the events strictly after this position; any number (see the top). Omit: the whole log. */
  readonly after?: number;
  /** Count at most this many. Default 10,000. */
  readonly maxCount?: number;
}

/** The end of the global log as `readTail` sees it: committed events only. */
export interface LogTail {
  /** Global position of the last committed event; -1 when the store is empty. */
  readonly headPosition: number;
  /** When that event was recorded (ISO-8601 UTC); absent when the store is empty. */
  readonly headRecordedAt?: string;
  /** Committed events after `after`, counted up to `maxCount`. */
  readonly eventsAfter: number;
  /** When the first of them was recorded; absent when there is none. */
  readonly firstAfterRecordedAt?: string;
}

export interface SubscribeOptions {
  /**
   * Checkpoint: events strictly after this position are handed over; any number (see the top). Omit to start at
   * the beginning.
   */
  readonly after?: number;
  readonly filter?: AllFilter;
  /** Events handed to `handler` at most this many at once. */
  readonly batchSize?: number;
}

export interface Subscription {
  /**
   * Resolves once the handler has processed every event (passing the filter) committed when the subscription
   * started. Rejects with the subscription's error when it fails before that (the error also goes to
   * `onError`); adapters mark the rejection handled, so a caller need not await it.
   */
  readonly caughtUp: Promise<void>;
  /** The last position handed to the handler (or the starting checkpoint). */
  readonly position: () => number | undefined;
  stop(): Promise<void>;
}

/**
 * The handler receives events in global order, each exactly once per subscription. The subscription awaits
 * it before handing over the next batch; if it throws, the subscription stops and `onError` is called.
 */
export type BatchHandler = (events: readonly RecordedEvent[]) => Promise<void>;

/**
 * Tamper evidence, the same in every adapter: each event keeps the sha256 of its stream's previous hash and its
 * own canonical content (recipe in `shared/hash-chain.ts`). PostgreSQL keeps it in a column, KurrentDB in the
 * event's metadata (`$hash`, see that adapter).
 */
export interface StoredEventWithHash extends RecordedEvent {
  readonly hash: string;
}

/** An event with its stored hash and the stored hash of its stream's previous event ('' at revision 0). */
export interface ChainedEvent extends StoredEventWithHash {
  readonly prevHash: string;
}

export interface BrokenLink {
  readonly event: StoredEventWithHash;
  readonly expectedHash: string;
  readonly reason: 'hash-mismatch' | 'revision-gap';
}

export interface ChainReport {
  /** Events and streams checked (all of them when intact; up to the broken one otherwise). */
  readonly events: number;
  readonly streams: number;
  /** The first broken event found, if any. */
  readonly broken?: BrokenLink;
}

/** What `readChained` hands over: one stream, or every event recorded in [from, to] (ISO instants, inclusive). */
export type ChainSelection =
  | { readonly kind: 'stream'; readonly stream: string }
  | { readonly kind: 'recorded'; readonly from: string; readonly to: string };

export interface EventStore {
  appendToStream(stream: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** An empty array when the stream does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * For monitoring (projection lag), not for processing: the log's head and what lies after `after`, as committed
   * now. Unlike readAll and subscriptions it never waits for open transactions (gap safety) and reads no event
   * bodies where the adapter can avoid it. Positions are sparse in every adapter, so the events after a position
   * are counted, never taken as `head − after` (costs per adapter: see each one).
   */
  readTail(options?: TailOptions): Promise<LogTail>;
  subscribeToAll(
    handler: BatchHandler,
    options?: SubscribeOptions & { readonly onError?: (error: unknown) => void },
  ): Subscription;
  /** Current revision of the stream, or undefined when it does not exist. */
  streamRevision(stream: string): Promise<number | undefined>;
  /**
   * Recomputes the hash chain of one stream (`stream`) or of every stream; reports the first broken event.
   * Every adapter stores the chain, so an auditor's `verify` checks whichever store is configured.
   */
  verifyChains(options?: { readonly stream?: string }): Promise<ChainReport>;
  /**
   * The selected events in global order, each with its stored hash and its stream's previous hash (even when
   * that event lies outside the selection), for an audit export. Break out of the loop to stop early.
   */
  readChained(selection: ChainSelection): AsyncIterable<ChainedEvent>;
  close(): Promise<void>;
}
