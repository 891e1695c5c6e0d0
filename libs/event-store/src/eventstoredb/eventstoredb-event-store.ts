/**
 * EventStoreDB / KurrentDB adapter of the event store port (`@kurrent/kurrentdb-client`).
 *
 * Mapping choices:
 * - Expectations: 'any' → ANY, 'no_stream' → NO_STREAM, 'stream_exists' → STREAM_EXISTS, n → BigInt(n).
 * - Global position = the event's COMMIT position in the transaction log (a byte offset: sparse, strictly
 *   increasing, < 2^53 for logs under 8 PB). Since 20.6 every event is its own log record, so commit positions are
 *   unique per event. `after: n` → reads from {commit: n, prepare: n} and drops events at or before n.
 * - Schema version, hash chain and metadata: ESDB has no schema-version or hash field; we store them in the
 *   event metadata as `$schemaVersion` and `$hash`, next to `$correlationId` / `$causationId` (the names ESDB's
 *   own projections use). The caller's metadata keys are stored beside them; a caller key that itself starts
 *   with `$` is stored with one more `$` (`$x` → `$$x`), so on reading `$$…` loses one `$` and a single-`$` key
 *   is ours (or the server's) and dropped: every caller key round-trips, none can collide with ours.
 * - Hash chain: the same recipe as PostgreSQL (`shared/hash-chain.ts`), computed here before the append from
 *   the hash of the stream's head. That needs the append to land exactly after that head, so the server is
 *   never sent ANY or STREAM_EXISTS: every append carries an exact revision (or NO_STREAM); for the caller's
 *   'any' / 'stream_exists' the adapter reads the head, checks the expectation itself and, when another writer
 *   moved the head in between, reads again (at most MAX_HEAD_RACES times).
 * - Idempotency (the server checks ids only, never content; see README "KurrentDB differences"):
 *   - exact revision / 'no_stream': the server compares the ids with the events stored right after that
 *     revision — from the log, durable across restarts — and acknowledges a retry without storing it; the
 *     adapter reads those revisions back (batch size, never more) and raises DuplicateEventIdError when the
 *     content differs.
 *   - 'any' / 'stream_exists': the server's check for these rests on an in-memory cache (lost on restart,
 *     bounded), so the adapter does not use it: it looks for the batch's ids among the stream's last
 *     `idempotencyWindow` events (default 1000; the same read that finds the head) before appending. Durable,
 *     but bounded: a retry whose original lies deeper in the stream is stored again.
 *   - an id reused in ANOTHER stream cannot be seen (KurrentDB has no index by event id): it is stored. The
 *     port's promise is narrowed for this adapter (README), and the contract suite checks both behaviours.
 * - Positions need a server that puts the commit position on stream reads (EventStoreDB 22.6+ / any KurrentDB):
 *   an event without one is refused with KurrentDbServerTooOldError, never handed out as -1.
 * - A server that cannot be reached (gRPC UNAVAILABLE, deadline exceeded) → StoreUnavailableError, like
 *   PostgreSQL's lost connections (append: outcome unknown; the caller may retry the same events).
 * - Filters: ESDB filters $all server-side on ONE of event type or stream name; we send the stream-prefix filter
 *   (or an exact-type regex when only types are given) and apply the rest here. System events (`$` types or
 *   streams) are never returned.
 * - Positions: `after` may be any number ("strictly after it"); see `startPosition` for how it becomes a real
 *   start. `readAll` requests only what it needs (see there).
 * - Subscriptions: the last position the server-side filter passes is read first, then `subscribeToAll` is
 *   called with its 'error' listener attached in the same tick; `caughtUp` resolves once the loop has handed
 *   that position over (not on the client's 'caughtUp' event, which can overtake buffered events) and rejects
 *   when the subscription fails; a failure cancels the server-side subscription and calls `onError` once.
 *   Events are handed over up to `batchSize` at once: the server sends one event per message, so a batch is
 *   closed when it is full, when the caught-up target is reached, or when no further event arrives within
 *   BATCH_LINGER_MS (then a lone live event waits at most that long).
 * - close(): stops the subscriptions, cancels the client's open calls (`dispose()`), then closes the gRPC
 *   channel, which `dispose()` leaves open (reads go through the client's native bridge, which has no close).
 */
import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  DeadlineExceededError,
  StreamNotFoundError,
  UnavailableError,
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

import { DuplicateEventIdError, StoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import type {
  AllFilter,
  AppendOptions,
  AppendResult,
  BatchHandler,
  BrokenLink,
  ChainedEvent,
  ChainReport,
  ChainSelection,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  JsonValue,
  LogTail,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoredEventWithHash,
  SubscribeOptions,
  Subscription,
  TailOptions,
} from '../event-store.port';
import { canonicalJson } from '../shared/canonical-json';
import { chainHash, checkLink, eventContent, findBrokenLink } from '../shared/hash-chain';
import { checkAppend, checkReadAll, checkReadStream, normaliseJson } from '../shared/validate-input';
import { caughtUpSignal } from '../shared/caught-up';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://127.0.0.1:2113?tls=false` (or `kurrentdb://…`). */
  readonly connectionString: string;
  /** How many of a stream's last events an 'any' / 'stream_exists' append searches for its ids. Default 1000. */
  readonly idempotencyWindow?: number;
}

/**
 * The server returned an event without its commit position: EventStoreDB before 22.6 does so on stream reads.
 * The adapter refuses such a server rather than hand out events at position -1 (a checkpoint would break).
 */
export class KurrentDbServerTooOldError extends Error {
  override readonly name = 'KurrentDbServerTooOldError';
  constructor(
    readonly stream: string,
    readonly revision: number,
  ) {
    super(
      `KurrentDB/EventStoreDB returned ${stream}@${revision} without its commit position: the adapter needs ` +
        'EventStoreDB 22.6 or later (or any KurrentDB); see libs/event-store/README.md',
    );
  }
}

type EsdbRecorded = NonNullable<AllStreamResolvedEvent['event']>;

/** Attempts of an 'any' / 'stream_exists' append when other writers keep moving the stream's head. */
const MAX_HEAD_RACES = 10;
/** A subscription batch is handed over when no further event arrives within this long (see the top). */
const BATCH_LINGER_MS = 10;
/** Page size of the adapter's own scans of $all (verify, audit export). */
const SCAN_PAGE = 1000;

/** readTail counts at most this many events unless told otherwise (the port's default). */
const DEFAULT_TAIL_COUNT = 10_000;

/** What an append sends: the expectation the server checks, and the first revision the events get. */
interface AppendPlan {
  readonly streamState: AppendStreamState;
  readonly firstRevision: number;
  readonly previousHash: string;
}

export class EventStoreDbEventStore implements EventStore {
  readonly client: KurrentDBClient;
  private readonly subscriptions = new Set<Subscription>();
  /** Real positions seen (global position → the client's Position), see startPosition. */
  private readonly known = new Map<number, Position>();
  /** True once a call went over the client's gRPC channel (appends, subscriptions): close() closes it. */
  private usedChannel = false;

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.client = KurrentDBClient.connectionString(options.connectionString);
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const expected = checkAppend(stream, events, options);
    const batch = events.map((e) => ({
      ...e,
      id: e.id.toLowerCase(),
      data: normaliseJson(e.data),
      metadata: normaliseJson(e.metadata),
    }));
    for (let attempt = 1; ; attempt++) {
      const plan = await this.planAppend(stream, batch, expected);
      if ('nextExpectedRevision' in plan) return plan; // a stored retry, found in the stream's tail
      let previous = plan.previousHash;
      const proposed = batch.map((e, i) => {
        previous = chainHash(previous, stream, plan.firstRevision + i, eventContent(e));
        return jsonEvent({
          id: e.id,
          type: e.type,
          data: e.data as JSONType,
          metadata: toEsdbMetadata(e.metadata, e.schemaVersion, previous),
        });
      });
      try {
        this.usedChannel = true;
        const result = await this.client.appendToStream(stream, proposed, { streamState: plan.streamState });
        if (result.position) this.remember(Number(result.position.commit), result.position);
        // Read the appended revisions back (the batch's size, no more): on a retry the server acknowledged
        // the ids without comparing content, and the stored events' positions are the ones reads hand out.
        const next = Number(result.nextExpectedRevision);
        const stored = await this.readStream(stream, {
          fromRevision: next - batch.length + 1,
          maxCount: batch.length,
        });
        return this.resultOf(stream, batch, stored) ?? this.noResult(stream, batch, stored);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw unavailable(error, 'append');
        const actual = error.actualState === NO_STREAM ? undefined : Number(error.actualState);
        if (expected === 'any' || expected === 'stream_exists') {
          // Another writer moved the head after we read it: plan again from the new head.
          if (attempt < MAX_HEAD_RACES) continue;
          throw new WrongExpectedRevisionError(stream, String(expected), actual);
        }
        // The caller's own expectation failed. Had every id been stored right after it, the server would have
        // acknowledged a retry; look only there (the batch's size) for ids stored with other content.
        const at = await this.readStream(stream, {
          fromRevision: plan.firstRevision,
          maxCount: batch.length,
        });
        const reused = batch.find((b) => at.some((e) => e.id === b.id));
        if (reused) throw new DuplicateEventIdError(reused.id);
        throw new WrongExpectedRevisionError(stream, String(expected), actual);
      }
    }
  }

  /**
   * Where the batch goes and the hash it chains to. Exact revision n: the event at n holds the previous hash
   * (absent: the server refuses the expectation anyway). 'no_stream': revision 0 after ''. 'any' /
   * 'stream_exists': the head and the ids come from one backwards read of the stream's last
   * `idempotencyWindow` events; a batch found there is a retry and its original result is returned.
   */
  private async planAppend(
    stream: string,
    batch: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendPlan | AppendResult> {
    if (expected === 'no_stream') return { streamState: NO_STREAM, firstRevision: 0, previousHash: '' };
    if (typeof expected === 'number') {
      const [head] = await this.readStored(stream, { fromRevision: expected, maxCount: 1 });
      return {
        streamState: BigInt(expected),
        firstRevision: expected + 1,
        previousHash: head?.revision === expected ? head.hash : '',
      };
    }
    const window = Math.max(batch.length, this.options.idempotencyWindow ?? 1000);
    const tail = await this.readStored(stream, { direction: 'backwards', maxCount: window });
    const oldest = tail[tail.length - 1];
    if (tail.length === window && oldest && oldest.revision > 0 && batch.some((b) => b.id === oldest.id)) {
      // The window cuts through an earlier copy of this batch: read the rest of it before judging.
      const rest = {
        direction: 'backwards',
        fromRevision: oldest.revision - 1,
        maxCount: batch.length,
      } as const;
      tail.push(...(await this.readStored(stream, rest)));
    }
    const retried = this.findStoredRetry(stream, batch, tail);
    if (retried) return retried;
    const head = tail[0];
    if (!head) {
      if (expected === 'stream_exists') throw new WrongExpectedRevisionError(stream, expected, undefined);
      return { streamState: NO_STREAM, firstRevision: 0, previousHash: '' };
    }
    return { streamState: BigInt(head.revision), firstRevision: head.revision + 1, previousHash: head.hash };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return (await this.readStored(stream, options)).map(withoutHash);
  }

  /** readStream with each event's stored hash (what the chain and the append planning need). */
  private async readStored(stream: string, options: ReadStreamOptions = {}): Promise<StoredEventWithHash[]> {
    checkReadStream(stream, options);
    const backwards = options.direction === 'backwards';
    const out: StoredEventWithHash[] = [];
    try {
      for await (const resolved of this.client.readStream(stream, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision:
          options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        const event = toStored(resolved);
        if (event) out.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw unavailable(error, 'read');
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
    try {
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
    } catch (error) {
      throw unavailable(error, 'read');
    }
  }

  /**
   * The head: one backwards read of a single event (system events excluded). KurrentDB keeps no count of $all,
   * so the events after `after` are read forwards (bodies included, up to `maxCount`) to count them, and only
   * when the head lies beyond `after`: a caught-up caller pays the one-event read, a lagging one a scan as long
   * as its backlog (capped). KurrentDB has no open transactions to wait for.
   */
  async readTail(options: TailOptions = {}): Promise<LogTail> {
    checkReadAll(options);
    let head: RecordedEvent | undefined;
    try {
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
        filter: excludeSystemEvents(),
      })) {
        head = toRecorded(resolved) ?? head;
      }
    } catch (error) {
      throw unavailable(error, 'read');
    }
    if (!head) return { headPosition: -1, eventsAfter: 0 };
    const known = { headPosition: head.globalPosition, headRecordedAt: head.recordedAt };
    if (options.after !== undefined && head.globalPosition <= options.after)
      return { ...known, eventsAfter: 0 };
    const after = await this.readAll({
      ...(options.after === undefined ? {} : { after: options.after }),
      maxCount: options.maxCount ?? DEFAULT_TAIL_COUNT,
    });
    return {
      ...known,
      eventsAfter: after.length,
      ...(after[0] ? { firstAfterRecordedAt: after[0].recordedAt } : {}),
    };
  }

  subscribeToAll(
    handler: BatchHandler,
    options: SubscribeOptions & { readonly onError?: (error: unknown) => void } = {},
  ): Subscription {
    checkReadAll(options);
    const batchSize = options.batchSize ?? 100;
    const after = options.after;
    let position = after;
    const { caughtUp, resolve: resolveCaughtUp, reject: rejectCaughtUp } = caughtUpSignal();
    let running = true;
    let stopped = false;
    let failed = false;
    let subscription: ReturnType<KurrentDBClient['subscribeToAll']> | undefined;
    const fail = (cause: unknown): void => {
      if (stopped || failed) return; // errors after stop() (cancelled call, premature close) are expected
      const error = unavailable(cause, 'read');
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
      this.usedChannel = true;
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
      // Pulled by hand rather than with for-await, so that a batch can be closed when the next event is slow
      // to come (the server sends one event per message: waiting only for a full batch would stall live
      // events, handing over whatever is buffered would hand over one event at a time).
      const iterator = (subscription as AsyncIterable<AllStreamResolvedEvent>)[Symbol.asyncIterator]();
      const pull = (): Promise<IteratorResult<AllStreamResolvedEvent>> => {
        const next = iterator.next();
        next.catch(() => undefined); // a pull still pending at stop() rejects with nobody waiting for it
        return next;
      };
      let pending = pull();
      while (running) {
        const next = batch.length === 0 ? await pending : await within(pending, BATCH_LINGER_MS);
        if (next === LINGERED) {
          await flush();
          continue;
        }
        if (next.done || !running) break;
        pending = pull();
        const event = toRecorded(next.value);
        if (!event || (after !== undefined && event.globalPosition <= after)) continue;
        this.remember(event.globalPosition, positionOf(next.value));
        if (matches(event, options.filter)) batch.push(event);
        const reached = target !== undefined && event.globalPosition >= target;
        if (batch.length >= batchSize || reached) await flush();
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

  /**
   * One stream: read whole and recomputed. Every stream: one forward scan of $all (system events excluded),
   * keeping the last hash and revision of each stream seen (about 150 bytes per stream), so memory grows with
   * the number of streams, not events. A stream truncated by `$maxCount` / `$maxAge` or deleted and recreated
   * shows as a revision gap at its first remaining event (this project sets neither).
   */
  async verifyChains(options: { readonly stream?: string } = {}): Promise<ChainReport> {
    if (options.stream !== undefined) {
      const events = await this.readStored(options.stream);
      const broken = findBrokenLink(events);
      return { events: events.length, streams: events.length > 0 ? 1 : 0, ...(broken ? { broken } : {}) };
    }
    const heads = new Map<string, { hash: string; revision: number }>();
    let events = 0;
    for await (const event of this.scanAll()) {
      const head = heads.get(event.stream);
      const broken: BrokenLink | undefined = checkLink(head?.hash ?? '', (head?.revision ?? -1) + 1, event);
      events++;
      heads.set(event.stream, { hash: event.hash, revision: event.revision });
      if (broken) return { events, streams: heads.size, broken };
    }
    return { events, streams: heads.size };
  }

  /**
   * One stream: read whole. A period: KurrentDB has no index by time, so $all is scanned from its start and
   * events recorded in [from, to] are handed over; the previous hash of every stream is kept along the way
   * (as in verifyChains), so each line's prevHash is the stored one even when that event lies before `from`.
   */
  async *readChained(selection: ChainSelection): AsyncGenerator<ChainedEvent> {
    if (selection.kind === 'stream') {
      const events = await this.readStored(selection.stream);
      let prevHash = '';
      const first = events[0];
      if (first && first.revision > 0) {
        const [before] = await this.readStored(selection.stream, {
          fromRevision: first.revision - 1,
          maxCount: 1,
        });
        prevHash = before?.hash ?? '';
      }
      for (const event of events) {
        yield { ...event, prevHash };
        prevHash = event.hash;
      }
      return;
    }
    const from = Date.parse(selection.from);
    const to = Date.parse(selection.to);
    const hashes = new Map<string, string>();
    for await (const event of this.scanAll()) {
      const at = Date.parse(event.recordedAt);
      if (at >= from && at <= to) yield { ...event, prevHash: hashes.get(event.stream) ?? '' };
      hashes.set(event.stream, event.hash);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
    // dispose() cancels the open calls but leaves the gRPC channel (and its keep-alive) open. The channel is
    // reachable only through the client's protected getChannel(); it is asked for only when a gRPC call was
    // made, because asking creates a channel (and, for a cluster, runs discovery).
    if (!this.usedChannel) return;
    const channels = this.client as unknown as { getChannel?: () => Promise<{ close(): void }> };
    const channel = await channels.getChannel?.().catch(() => undefined);
    channel?.close();
  }

  /** $all forwards from its start, system events excluded, in pages of SCAN_PAGE events. */
  private async *scanAll(): AsyncGenerator<StoredEventWithHash> {
    let from: ReadPosition = START;
    let skip: number | undefined;
    try {
      for (;;) {
        let count = 0;
        let last: Position | undefined;
        const page: StoredEventWithHash[] = [];
        // Each page is read to its end before its events are handed over: no server-side read stays open
        // while the caller works (or stops early).
        for await (const resolved of this.client.readAll({
          direction: FORWARDS,
          fromPosition: from,
          filter: excludeSystemEvents(),
          maxCount: SCAN_PAGE + (skip === undefined ? 0 : 1),
        })) {
          count++;
          last = positionOf(resolved) ?? last;
          const event = toStored(resolved);
          if (!event || (skip !== undefined && event.globalPosition <= skip)) continue;
          if (matches(event, undefined)) page.push(event);
        }
        yield* page;
        if (count < SCAN_PAGE || !last) return;
        from = last;
        skip = Number(last.commit);
      }
    } catch (error) {
      throw unavailable(error, 'read');
    }
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

  /**
   * Looks for the batch's ids in `tail` (the stream's last events, newest first): none → undefined (not
   * stored yet); all of them, in order, with the same content → the original result; anything else (some
   * ids, other content, other order) → DuplicateEventIdError.
   */
  private findStoredRetry(
    stream: string,
    batch: readonly NewEvent[],
    tail: readonly StoredEventWithHash[],
  ): AppendResult | undefined {
    const ids = new Set(batch.map((b) => b.id));
    const found = tail.filter((e) => ids.has(e.id)).reverse();
    if (found.length === 0) return undefined;
    const first = found[0];
    const contiguous = found.every((e, i) => e.revision === (first?.revision ?? 0) + i);
    const result = contiguous ? this.resultOf(stream, batch, found.map(withoutHash)) : undefined;
    if (!result) throw new DuplicateEventIdError(found[0]?.id ?? batch[0]?.id ?? '');
    return result;
  }
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

/** Our keys in the stored metadata; ESDB's own projections read `$correlationId` / `$causationId`. */
const SCHEMA_VERSION_KEY = '$schemaVersion';
const HASH_KEY = '$hash';

/** The stored metadata: the caller's keys (`$x` stored as `$$x`, see the top) beside the adapter's `$` keys. */
function toEsdbMetadata(metadata: EventMetadata, schemaVersion: number, hash: string): JSONType {
  const stored: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(metadata as unknown as Record<string, JsonValue>))
    stored[k.startsWith('$') ? `$${k}` : k] = v;
  stored['$correlationId'] = metadata.correlationId;
  if (metadata.causationId !== undefined) stored['$causationId'] = metadata.causationId;
  stored[SCHEMA_VERSION_KEY] = schemaVersion;
  stored[HASH_KEY] = hash;
  return stored;
}

/** The caller's metadata back: `$$x` → `$x`; single-`$` keys are the adapter's (or the server's) and dropped. */
function fromEsdbMetadata(raw: Record<string, JsonValue>): EventMetadata {
  const metadata: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k.startsWith('$$')) metadata[k.slice(1)] = v;
    else if (!k.startsWith('$')) metadata[k] = v;
  }
  return metadata as unknown as EventMetadata;
}

function toStored(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEventWithHash | undefined {
  const e = resolved.event as EsdbRecorded | undefined;
  if (!e) return undefined;
  const raw = parse(e.metadata);
  const commit = e.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) throw new KurrentDbServerTooOldError(e.streamId, Number(e.revision));
  const version = raw[SCHEMA_VERSION_KEY];
  const hash = raw[HASH_KEY];
  return {
    id: e.id,
    type: e.type,
    schemaVersion: typeof version === 'number' ? version : 1,
    data: (e.isJson ? e.data : parseBytes(e.data)) as JsonValue,
    metadata: fromEsdbMetadata(raw),
    stream: e.streamId,
    revision: Number(e.revision),
    globalPosition: Number(commit),
    recordedAt: e.created.toISOString(),
    // Events appended before the chain was stored here have none: verify reports the first of them.
    hash: typeof hash === 'string' ? hash : '',
  };
}

function toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const stored = toStored(resolved);
  return stored && withoutHash(stored);
}

function withoutHash(event: StoredEventWithHash): RecordedEvent {
  const { hash: _hash, ...recorded } = event;
  return recorded;
}

/**
 * A server that cannot be reached → StoreUnavailableError (the api answers 503, the CLI "cannot reach");
 * anything else unchanged. The client reports it as UnavailableError / DeadlineExceededError, or, on the
 * append path, as the raw gRPC error (code 14 UNAVAILABLE, 4 DEADLINE_EXCEEDED).
 */
function unavailable(error: unknown, operation: 'append' | 'read'): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const grpcCode = (error as { code?: unknown } | null)?.code;
  const lost =
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    (error instanceof Error && (grpcCode === 14 || grpcCode === 4));
  return lost ? new StoreUnavailableError(operation, operation === 'append', error) : error;
}

const LINGERED = Symbol('lingered');

/** `promise`'s value, or LINGERED when it has not settled within `ms` (the promise keeps running). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof LINGERED> {
  let timer: NodeJS.Timeout | undefined;
  const lingered = new Promise<typeof LINGERED>((resolve) => {
    timer = setTimeout(() => resolve(LINGERED), ms);
  });
  try {
    return await Promise.race([promise, lingered]);
  } finally {
    clearTimeout(timer);
  }
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
