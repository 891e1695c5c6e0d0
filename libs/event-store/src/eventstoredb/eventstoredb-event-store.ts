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
 * - Subscriptions: `subscribeToAll` from the checkpoint; `caughtUp` resolves when the subscription passes the
 *   last position of $all read at start (via filter checkpoints when events are filtered out) or when the
 *   server says it caught up.
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
      return result.position ? { ...checked, lastGlobalPosition: Number(result.position.commit) } : checked;
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
    const after = options.after;
    for await (const resolved of this.client.readAll({
      direction: FORWARDS,
      fromPosition: after === undefined ? START : toPosition(after),
      filter: serverFilter(options.filter),
      // Over-read: the client-side half of the filter and the inclusive start may drop some.
      maxCount: Number.MAX_SAFE_INTEGER,
    })) {
      const event = toRecorded(resolved);
      if (!event || (after !== undefined && event.globalPosition <= after) || !matches(event, options.filter))
        continue;
      out.push(event);
      if (out.length >= limit) break;
    }
    return out;
  }

  subscribeToAll(
    handler: BatchHandler,
    options: SubscribeOptions & { readonly onError?: (error: unknown) => void } = {},
  ): Subscription {
    checkReadAll(options);
    let position = options.after;
    let resolveCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));
    let target: number | undefined;
    const reached = (at: number): void => {
      if (target !== undefined && at >= target) resolveCaughtUp();
    };
    const filter = serverFilter(options.filter);
    const subscription = this.client.subscribeToAll({
      fromPosition: options.after === undefined ? START : toPosition(options.after),
      filter: filter && {
        ...filter,
        checkpointInterval: 1,
        checkpointReached: (_s: unknown, p: Position) => reached(Number(p.commit)),
      },
    });
    subscription.on('caughtUp', () => resolveCaughtUp());
    let running = true;
    const done = (async () => {
      target = await this.lastPosition();
      if (target === undefined || (options.after !== undefined && options.after >= target)) resolveCaughtUp();
      for await (const resolved of subscription) {
        if (!running) break;
        const event = toRecorded(resolved);
        if (!event) continue;
        if (matches(event, options.filter)) {
          await handler([event]);
          position = event.globalPosition;
        }
        reached(event.globalPosition);
      }
    })().catch((error: unknown) => {
      running = false;
      options.onError?.(error);
    });
    const handle: Subscription = {
      caughtUp,
      position: () => position,
      stop: async () => {
        running = false;
        await subscription.unsubscribe();
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

  private async lastPosition(): Promise<number | undefined> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
    })) {
      const commit = resolved.event?.position.commit ?? resolved.commitPosition;
      return commit === undefined ? undefined : Number(commit);
    }
    return undefined;
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
