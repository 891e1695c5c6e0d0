/**
 * EventStoreDB / KurrentDB adapter of the event store port (`@kurrent/kurrentdb-client`).
 *
 * Mapping choices:
 * - Expectations: 'any' → ANY, 'no_stream' → NO_STREAM, 'stream_exists' → STREAM_EXISTS, n → BigInt(n).
 * - Global position = the event's COMMIT position in the transaction log (a byte offset: sparse, strictly
 *   increasing, < 2^53 for logs under 8 PB). Since 20.6 every event is its own log record, so commit positions are
 *   unique per event. `after: n` → reads from {commit: n, prepare: n} and drops events at or before n.
 * - Schema version and metadata: ESDB has no schema-version field; we store it in the event metadata as
 *   `$schemaVersion`, next to `$correlationId` / `$causationId` (the names ESDB's own projections use) and
 *   the port's metadata fields; reading strips the `$` keys again.
 * - Idempotency: ESDB dedupes by event id natively, but it ignores the content: the same id with other content
 *   is acknowledged as a retry and silently not stored. To keep the port's contract we read the appended
 *   revisions back after every successful append (one extra read per append) and raise
 *   DuplicateEventIdError when the stored events have our ids but other content. When ESDB rejects a retry
 *   because the stream moved on (WrongExpectedVersion), we look for the ids among the stream's last
 *   `idempotencyWindow` events and return the original result if they are there with the same content.
 * - Filters: ESDB filters $all server-side on ONE of event type or stream name; we send the stream-prefix filter
 *   (or an exact-type regex when only types are given) and apply the rest here. System events (`$` types or
 *   streams) are never returned.
 * - Positions: `after` may be any number ("strictly after it"); see `startPosition` for how it becomes a real
 *   start. `readAll` requests only what it needs (see there).
 * - Subscriptions: the last position the server-side filter passes is read first, then `subscribeToAll` is
 *   called with its 'error' listener attached in the same tick; `caughtUp` resolves once the loop has handed
 *   that position over (not on the client's 'caughtUp' event, which can overtake buffered events) and rejects
 *   when the subscription fails; a failure cancels the server-side subscription and calls `onError` once.
 *   Events are handed over up to `batchSize` at once.
 */
import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendStreamState,
  type Filter,
  type JSONType,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';

import { DuplicateEventIdError, WrongExpectedRevisionError } from '../errors';
import type {
  AllFilter,
  AppendOptions,
  AppendResult,
  BatchHandler,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  JsonValue,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { canonicalJson } from '../shared/canonical-json';
import {
  checkExpectedRevision,
  checkNewEvents,
  checkReadAll,
  checkReadStream,
  checkStream,
  normaliseJson,
} from '../shared/validate-input';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://127.0.0.1:2113?tls=false` (or `kurrentdb://…`). */
  readonly connectionString: string;
  /** How far back a stale-revision retry is looked for. Default 1000 events. */
  readonly idempotencyWindow?: number;
}

type EsdbRecorded = NonNullable<AllStreamResolvedEvent['event']>;

export class EventStoreDbEventStore implements EventStore {
  readonly client: KurrentDBClient;
  private readonly subscriptions = new Set<Subscription>();
  /** Real positions seen (global position → the client's Position), see startPosition. */
  private readonly known = new Map<number, Position>();

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.client = KurrentDBClient.connectionString(options.connectionString);
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    checkStream(stream);
    const expected = options.expectedRevision ?? 'any';
    checkExpectedRevision(expected);
    checkNewEvents(events);
    const batch = events.map((e) => ({
      ...e,
      id: e.id.toLowerCase(),
      data: normaliseJson(e.data),
      metadata: normaliseJson(e.metadata),
    }));
    try {
      const result = await this.client.appendToStream(
        stream,
        batch.map((e) =>
          jsonEvent({
            id: e.id,
            type: e.type,
            data: e.data as JSONType,
            metadata: toEsdbMetadata(e.metadata, e.schemaVersion),
          }),
        ),
        { streamState: toStreamState(expected) },
      );
      const next = Number(result.nextExpectedRevision);
      const stored = await this.readStream(stream, {
        fromRevision: next - batch.length + 1,
        maxCount: batch.length,
      });
      const checked = this.resultOf(stream, batch, stored) ?? this.noResult(stream, batch, stored);
      if (!result.position) return checked;
      this.remember(Number(result.position.commit), result.position);
      return { ...checked, lastGlobalPosition: Number(result.position.commit) };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const retried = await this.findStoredRetry(stream, batch);
      if (retried) return retried;
      const actual = error.actualState === NO_STREAM ? undefined : Number(error.actualState);
      throw new WrongExpectedRevisionError(stream, String(expected), actual);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    checkReadStream(stream, options);
    const backwards = options.direction === 'backwards';
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision:
          options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        const event = toRecorded(resolved);
        if (event) out.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    checkReadAll(options);
    const limit = options.maxCount ?? 1000;
    const out: RecordedEvent[] = [];
    const filter = serverFilter(options.filter);
    // Skip everything at or below `skip`: `after` itself (a read from a position is inclusive, and an arbitrary
    // `after` may resolve to an earlier start, see startPosition), then each page's last event.
    let skip = options.after;
    let from = await this.startPosition(options.after);
    for (;;) {
      // Request exactly what is still needed (+1 for the inclusive start event), never
      // Number.MAX_SAFE_INTEGER: the client's readAll iterator has no return(), so `break` cannot stop a
      // server-side read; a bounded maxCount makes the server stop by itself, and each page is drained to its
      // end so no read is left running. The client-side half of the filter may drop events: then read the
      // next page from the last position seen.
      const pageSize = limit - out.length + 1;
      let count = 0;
      let last: Position | undefined;
      const page = this.client.readAll({
        direction: FORWARDS,
        fromPosition: from,
        filter,
        maxCount: pageSize,
      });
      try {
        for await (const resolved of page) {
          count++;
          last = positionOf(resolved) ?? last;
          const event = toRecorded(resolved);
          if (!event || (skip !== undefined && event.globalPosition <= skip)) continue;
          this.remember(event.globalPosition, positionOf(resolved));
          if (out.length < limit && matches(event, options.filter)) out.push(event);
        }
      } finally {
        // Only reached early on an error; a generator's return() ends the client's read loop.
        await page.return?.();
      }
      if (out.length >= limit || count < pageSize || !last) return out;
      from = last;
      skip = Number(last.commit);
    }
  }

  subscribeToAll(
    handler: BatchHandler,
    options: SubscribeOptions & { readonly onError?: (error: unknown) => void } = {},
  ): Subscription {
    checkReadAll(options);
    const batchSize = options.batchSize ?? 100;
    const after = options.after;
    let position = after;
    let resolveCaughtUp!: () => void;
    let rejectCaughtUp!: (error: unknown) => void;
    const caughtUp = new Promise<void>((resolve, reject) => {
      resolveCaughtUp = resolve;
      rejectCaughtUp = reject;
    });
    // caughtUp rejects when the subscription fails before catching up; the error also goes to onError, so a
    // caller that never awaits caughtUp must not get an unhandled rejection.
    caughtUp.catch(() => undefined);
    let running = true;
    let stopped = false;
    let failed = false;
    let subscription: ReturnType<KurrentDBClient['subscribeToAll']> | undefined;
    const fail = (error: unknown): void => {
      if (stopped || failed) return; // errors after stop() (cancelled call, premature close) are expected
      failed = true;
      running = false;
      rejectCaughtUp(error);
      // Cancel the server-side subscription, or every restart after a failure leaves one more behind.
      void subscription?.unsubscribe().catch(() => undefined);
      subscription?.destroy();
      options.onError?.(error);
    };
    const filter = serverFilter(options.filter);
    const done = (async () => {
      // caughtUp: the client's own 'caughtUp' event is emitted when the server's message enters the client's
      // stream, while events before it may still sit unread in the stream's buffer, so it cannot tell us that
      // the handler has seen them. Instead: read the position of the last event the server-side filter
      // passes BEFORE subscribing, and resolve once the loop has handed over (or skipped) an event at or
      // beyond it. Events committed later come after it, so the handler has then processed every event that
      // was committed when the subscription started.
      const target = await this.lastPosition(filter);
      const from = await this.startPosition(after);
      if (!running) return;
      subscription = this.client.subscribeToAll({ fromPosition: from, filter });
      // Listen for 'error' in the same tick as the call: the client emits it (node down, access denied, bad
      // position) as soon as the call fails, and an EventEmitter 'error' without a listener ends the process.
      subscription.on('error', fail);
      if (target === undefined || (after !== undefined && after >= target)) resolveCaughtUp();
      let batch: RecordedEvent[] = [];
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        const handing = batch;
        batch = [];
        await handler(handing);
        position = handing[handing.length - 1]?.globalPosition ?? position;
      };
      for await (const resolved of subscription as AsyncIterable<AllStreamResolvedEvent>) {
        if (!running) break;
        const event = toRecorded(resolved);
        if (!event || (after !== undefined && event.globalPosition <= after)) continue;
        this.remember(event.globalPosition, positionOf(resolved));
        if (matches(event, options.filter)) batch.push(event);
        const reached = target !== undefined && event.globalPosition >= target;
        // Hand over up to batchSize events at once, and at once when nothing more is buffered.
        if (batch.length >= batchSize || subscription.readableLength === 0 || reached) await flush();
        if (reached) resolveCaughtUp();
      }
      if (running) await flush();
    })().catch(fail);
    const handle: Subscription = {
      caughtUp,
      position: () => position,
      stop: async () => {
        running = false;
        stopped = true;
        await subscription?.unsubscribe().catch(() => undefined);
        // Cancelling does not end the client's stream (it is piped from the gRPC call, which errors with a
        // swallowed CANCELLED): destroy it so the loop's iterator finishes.
        subscription?.destroy();
        await done;
        this.subscriptions.delete(handle);
      },
    };
    this.subscriptions.add(handle);
    return handle;
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    const [last] = await this.readStream(stream, { direction: 'backwards', maxCount: 1 });
    return last?.revision;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  /** Position of the last event of $all that `filter` passes (undefined: none). */
  private async lastPosition(filter: Filter | undefined): Promise<number | undefined> {
    const last = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, filter });
    let at: number | undefined;
    for await (const resolved of last) {
      const p = positionOf(resolved);
      at = p === undefined ? undefined : Number(p.commit);
    }
    return at;
  }

  /**
   * The port's rule: `after` may be any number and means "strictly after it". The server accepts only the
   * position of a real record as a start, so an arbitrary number is resolved to a real position at or before
   * it (the caller then skips events at or below `after`):
   * 1. a position this adapter has handed out (appends, reads, subscriptions) — exact or the nearest below;
   * 2. else a probe: a one-event read from {after, after}; if the server answers with the event at exactly
   *    `after` it is a record start (a checkpoint persisted by an earlier process);
   * 3. else the start of $all: correct, but a scan of the log up to `after` (documented in the README).
   */
  private async startPosition(after: number | undefined): Promise<ReadPosition> {
    if (after === undefined || after < 0) return START;
    let best: [number, Position] | undefined;
    for (const known of this.known) if (known[0] <= after && (!best || known[0] > best[0])) best = known;
    if (best?.[0] === after) return best[1];
    try {
      const probe = this.client.readAll({
        direction: FORWARDS,
        fromPosition: toPosition(after),
        maxCount: 1,
      });
      for await (const resolved of probe) {
        const p = positionOf(resolved);
        if (p && Number(p.commit) === after) {
          this.remember(after, p);
          return p;
        }
      }
    } catch {
      // Not a record start: fall through.
    }
    return best?.[1] ?? START;
  }

  /** Remembers up to 10,000 real positions (FIFO) as starting points for later reads. */
  private remember(at: number, position: Position | undefined): void {
    if (!position || this.known.has(at)) return;
    this.known.set(at, position);
    if (this.known.size > 10_000) this.known.delete(this.known.keys().next().value as number);
  }

  /** The original result when `stored` holds exactly this batch with the same content. */
  private resultOf(
    stream: string,
    batch: readonly NewEvent[],
    stored: readonly RecordedEvent[],
  ): AppendResult | undefined {
    if (stored.length !== batch.length) return undefined;
    for (let i = 0; i < batch.length; i++) {
      const want = batch[i];
      const have = stored[i];
      if (!want || !have || want.id !== have.id) return undefined;
      if (content(want) !== content(have)) throw new DuplicateEventIdError(want.id);
    }
    const last = stored[stored.length - 1];
    if (!last || last.stream !== stream) return undefined;
    return { nextExpectedRevision: last.revision, lastGlobalPosition: last.globalPosition };
  }

  private noResult(stream: string, batch: readonly NewEvent[], stored: readonly RecordedEvent[]): never {
    throw new Error(
      `append to ${stream} acknowledged but its events were not found where expected (${batch.length} appended, ${stored.length} read back)`,
    );
  }

  private async findStoredRetry(
    stream: string,
    batch: readonly NewEvent[],
  ): Promise<AppendResult | undefined> {
    const recent = await this.readStream(stream, {
      direction: 'backwards',
      maxCount: this.options.idempotencyWindow ?? 1000,
    });
    const first = batch[0];
    const at = recent.findIndex((e) => e.id === first?.id);
    if (at === -1) {
      const reused = batch.find((b) => recent.some((e) => e.id === b.id));
      if (reused) throw new DuplicateEventIdError(reused.id);
      return undefined;
    }
    const stored = recent.slice(Math.max(0, at - batch.length + 1), at + 1).reverse();
    const result = this.resultOf(stream, batch, stored);
    if (!result) throw new DuplicateEventIdError(first?.id ?? '');
    return result;
  }
}

function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
}

function toPosition(at: number): Position {
  return { commit: BigInt(at), prepare: BigInt(at) };
}

function positionOf(resolved: AllStreamResolvedEvent): Position | undefined {
  const p = resolved.event?.position;
  if (p) return p;
  return resolved.commitPosition === undefined
    ? undefined
    : { commit: resolved.commitPosition, prepare: resolved.commitPosition };
}

function serverFilter(filter: AllFilter | undefined): Filter | undefined {
  if (filter?.streamPrefixes) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  if (filter?.eventTypes) {
    const alternatives = filter.eventTypes.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    return eventTypeFilter({ regex: `^(?:${alternatives})$` });
  }
  return excludeSystemEvents();
}

function matches(event: RecordedEvent, filter: AllFilter | undefined): boolean {
  if (event.type.startsWith('$') || event.stream.startsWith('$')) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  if (filter?.streamPrefixes && !filter.streamPrefixes.some((p) => event.stream.startsWith(p))) return false;
  return true;
}

function toEsdbMetadata(metadata: EventMetadata, schemaVersion: number): JSONType {
  return {
    ...metadata,
    $correlationId: metadata.correlationId,
    ...(metadata.causationId === undefined ? {} : { $causationId: metadata.causationId }),
    $schemaVersion: schemaVersion,
  };
}

function toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const e = resolved.event as EsdbRecorded | undefined;
  if (!e) return undefined;
  const raw = parse(e.metadata);
  const metadata: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(raw)) if (!k.startsWith('$')) metadata[k] = v;
  const commit = e.position?.commit ?? resolved.commitPosition;
  return {
    id: e.id,
    type: e.type,
    schemaVersion: typeof raw['$schemaVersion'] === 'number' ? raw['$schemaVersion'] : 1,
    data: (e.isJson ? e.data : parseBytes(e.data)) as JsonValue,
    metadata: metadata as unknown as EventMetadata,
    stream: e.streamId,
    revision: Number(e.revision),
    globalPosition: commit === undefined ? -1 : Number(commit),
    recordedAt: e.created.toISOString(),
  };
}

function parse(metadata: unknown): Record<string, JsonValue> {
  const value = metadata instanceof Uint8Array ? parseBytes(metadata) : metadata;
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, JsonValue>)
    : {};
}

function parseBytes(bytes: Uint8Array): JsonValue {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as JsonValue;
  } catch {
    return null;
  }
}

function content(e: {
  type: string;
  schemaVersion: number;
  data: JsonValue;
  metadata: EventMetadata;
}): string {
  return canonicalJson([e.type, e.schemaVersion, e.data, e.metadata as unknown as JsonValue]);
}
