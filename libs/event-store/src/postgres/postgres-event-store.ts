/**
 * PostgreSQL adapter of the event store port: the real server and embedded PGlite (through its socket), same
 * SQL, same `pg` driver.
 *
 * GAP SAFETY — technique: "transaction-id snapshot horizon" (as Marten and Emmett do), with the global
 * position DERIVED from the transaction id: `global_position = xid8 * 1024 + index within the append`.
 * Readers by position (readAll, subscriptions) only return rows whose transaction id is below
 * `pg_snapshot_xmin(pg_current_snapshot())`, the oldest transaction still running in the cluster: every
 * transaction below it has ended, so no row below the horizon can still appear, and every row that appears
 * later has a transaction id >= the current horizon, i.e. a higher position. A reader that saw position p can
 * therefore never be handed a smaller position later: nothing is skipped, nothing is reordered.
 * Why not a sequence for positions (as Emmett does): a sequence value and the transaction id are taken at
 * different instants, so a transaction can hold a SMALLER position but a LARGER xid than another that already
 * committed; the horizon then releases the larger position first and a checkpoint by position skips the
 * smaller one for good. Deriving the position from the xid makes the two orders the same.
 * Per-stream order: the append function takes a per-stream advisory lock BEFORE its first write, so within a
 * stream, xid order (hence global order) equals revision order.
 * Costs: (1) writes: none beyond reading pg_current_xact_id() — no global lock, no serialised commits, group
 * commit intact; (2) readers lag behind the OLDEST transaction running anywhere in the cluster (any database,
 * any client): a long transaction elsewhere delays delivery (not correctness) until it ends — set
 * `idle_in_transaction_session_timeout`, avoid forgotten prepared transactions; (3) positions are sparse
 * numbers (like EventStoreDB commit positions); xid8 must stay below 2^43 (2^53 / 1024): ~28 years at
 * 10,000 transactions/s; (4) at most 1024 events per append; one append per transaction (the function is
 * only called in its own transaction).
 * `readAll` waits briefly (`readAllSettleMs`) when committed rows are still above the horizon, so a caller
 * reading right after its own append sees it, unless another transaction stays open longer than that.
 *
 * Subscriptions wake on new commits by LISTEN/NOTIFY on the server (one listening connection per store;
 * appends send a coalesced NOTIFY right after they commit, OUTSIDE the append transaction, because a NOTIFY
 * inside it would take PostgreSQL's global notify-queue lock at commit and serialise all appends), plus local
 * wake-ups for subscribers in this process and a slow poll as a fallback. On PGlite there is no LISTEN (one
 * shared session, see embedded-postgres.ts): subscriptions poll.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { Client, Pool, type PoolClient, type QueryResultRow } from 'pg';

import { guardPoolClients } from './guard-pool';
import {
  DuplicateEventIdError,
  isConnectionFailure,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../errors';
import type {
  AllFilter,
  AppendOptions,
  AppendResult,
  BatchHandler,
  ChainedEvent,
  ChainReport,
  ChainSelection,
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
import {
  eventContent,
  findBrokenLink,
  type BrokenLink,
  type StoredEventWithHash,
} from '../shared/hash-chain';
import {
  checkExpectedRevision,
  checkNewEvents,
  checkReadAll,
  checkReadStream,
  checkStream,
  MAX_EVENTS_PER_APPEND,
  normaliseJson,
} from '../shared/validate-input';
import { migrate, quoteIdent } from './migrations';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** Schema holding the store's tables; created and migrated on `create`. Default `event_store`. */
  readonly schema?: string;
  /** Pool size. Default 10 (the server here allows 100 connections, shared by everyone). */
  readonly maxConnections?: number;
  /** 'listen' (server) or 'poll'. Default: detected, 'poll' on PGlite. */
  readonly notifications?: 'listen' | 'poll';
  /** Told when the LISTEN connection is lost and when it is back (logs and metrics of the process). */
  readonly onListenerChange?: (change: {
    readonly state: 'lost' | 'restored';
    readonly error?: unknown;
  }) => void;
  /** Append transactions in flight at once; more appends wait and share the next one. Default 2. */
  readonly appendConcurrency?: number;
  /** Fallback poll interval of subscriptions. Default 1000 ms with LISTEN, 50 ms without. */
  readonly pollIntervalMs?: number;
  /** How long readAll waits for open transactions below committed rows to end. Default 1000 ms. */
  readonly readAllSettleMs?: number;
  /**
   * TEST ONLY: keep the append transaction open this long after inserting (explicit BEGIN, sleep in JS,
   * COMMIT), to provoke late commits in the gap test. Never set in production.
   */
  readonly holdAppendTransactionMs?: (stream: string) => number;
}

interface EventRow extends QueryResultRow {
  global_position: string;
  event_id: string;
  stream: string;
  revision: string;
  type: string;
  schema_version: number;
  data: JsonValue;
  metadata: EventMetadata;
  recorded_at: string;
  hash: string;
}

/**
 * One row of a page read: horizon, max position, then the event's columns (all null when the page is empty).
 * bigints and numerics come as text; recorded_at as epoch seconds (see epochTextToIso).
 */
type PageRow = [
  horizon: string,
  maxPosition: string | null,
  globalPosition: string | null,
  id: string,
  stream: string,
  revision: string,
  type: string,
  schemaVersion: number,
  data: JsonValue,
  metadata: EventMetadata,
  recordedAt: string,
];

/**
 * recorded_at of a page row, read as `extract(epoch FROM recorded_at)` (numeric text such as
 * `1764032400.123456`: exact, and cheaper for the server than to_char) → `2026-11-25T01:00:00.123Z`, truncated to
 * the millisecond as `to_char(…, 'MS')` and every other read of the store do. Recorded times are after 1970.
 */
export function epochTextToIso(text: string): string {
  const dot = text.indexOf('.');
  const seconds = dot < 0 ? text : text.slice(0, dot);
  // Events of one commit share their recorded_at, and a page holds runs of the same second: the calendar part
  // is formatted once per second (figure: README.md, Benchmarks, "Figures behind the code").
  if (seconds !== lastEpochSeconds) {
    lastEpochSeconds = seconds;
    lastIsoSeconds = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  }
  const ms = dot < 0 ? '000' : text.slice(dot + 1, dot + 4).padEnd(3, '0');
  return `${lastIsoSeconds}.${ms}Z`;
}
let lastEpochSeconds = '';
let lastIsoSeconds = '';

interface AppendSpec {
  readonly stream: string;
  readonly streamJson: string;
  readonly expected: number;
  readonly events: readonly {
    readonly id: string;
    readonly type: string;
    readonly version: number;
    readonly data: JsonValue;
    readonly metadata: EventMetadata;
    readonly content: string;
  }[];
}

interface BatchRow {
  ord: number;
  status: 'ok' | 'replayed' | 'wrong' | 'duplicate';
  next_revision: string | null;
  last_position: string | null;
  actual_revision: string | null;
  conflict_id: string | null;
}

interface PendingAppend {
  readonly spec: AppendSpec;
  readonly resolve: (row: BatchRow) => void;
  readonly reject: (error: unknown) => void;
}

const EXPECTED_CODES: Record<Exclude<ExpectedRevision, number>, number> = {
  any: -1,
  no_stream: -2,
  stream_exists: -3,
};

const NOTIFY_INTERVAL_MS = 25;
/** Pauses before sending an append batch again after its connection died (then StoreUnavailableError). */
const APPEND_RETRY_DELAYS_MS = [50, 250, 750];
const READ_RETRY_DELAYS_MS = [50, 250];
/** Pauses between attempts to re-open a lost LISTEN connection (the last one repeats). */
const LISTEN_RETRY_DELAYS_MS = [0, 200, 500, 1000];
/** Whole-stream read statements in flight at once (see flushReads), and streams one statement reads at most. */
const READS_IN_FLIGHT = 2;
const MAX_STREAMS_PER_READ = 64;

const PAGE_COLUMNS = `p.global_position, p.event_id, p.stream, p.revision, p.type, p.schema_version, p.data, p.metadata,
  extract(epoch FROM p.recorded_at)`;

// recorded_at formatted by the server as toISOString() would: no Date parsing per row on replay.
const COLUMNS = `global_position, event_id, stream, revision, type, schema_version, data, metadata,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at, hash`;

/** One text naming the cluster and database of a connection (see `PostgresEventStore.location`). */
export const DATABASE_IDENTITY_SQL = `SELECT (SELECT system_identifier::text FROM pg_control_system()) || '/' || current_database() AS id`;

export class PostgresEventStore implements EventStore {
  private readonly q: string;
  private readonly lockKey: number;
  private readonly options: PostgresEventStoreOptions;
  private readonly wakers = new Set<() => void>();
  private readonly subscriptions = new Set<Subscription>();
  private listener: Client | undefined;
  private listenerStarting: Promise<void> | undefined;
  private healing = false;
  private listenerLosses = 0;
  private listenerRestores = 0;
  private appendRetries = 0;
  private readonly pending: PendingAppend[] = [];
  private readonly pendingReads: {
    readonly stream: string;
    readonly resolve: (rows: EventRow[]) => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  private readsInFlight = 0;
  private inFlight = 0;
  private notifyPending = false;
  private lastNotifyAt = 0;
  private closed = false;

  private constructor(
    readonly pool: Pool,
    readonly schema: string,
    private readonly notifications: 'listen' | 'poll',
    options: PostgresEventStoreOptions,
  ) {
    this.options = { onListenerChange: logListenerChange, ...options };
    this.q = quoteIdent(schema);
    // Advisory-lock namespace of this schema, so two schemas on one server never block each other.
    this.lockKey = hash32(schema);
  }

  /** Connects, migrates the schema and detects PGlite. */
  static async create(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'event_store';
    quoteIdent(schema);
    // A client's socket error (server restart, terminated backend) must not crash the process.
    const pool = guardPoolClients(
      new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 }),
    );
    try {
      await migrate(pool, schema);
      const { rows } = await pool.query<{ version: string }>('SELECT version()');
      const pglite = rows[0]?.version.includes('PGlite') ?? false;
      const notifications = options.notifications ?? (pglite ? 'poll' : 'listen');
      return new PostgresEventStore(pool, schema, notifications, options);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /**
   * Where the events table lives: `database` identifies the cluster (its system identifier) and the database,
   * `table` is the quoted, schema-qualified events table. A reader on a connection whose
   * `DATABASE_IDENTITY_SQL` gives the same `database` may read that table set-based (a projection rebuild copies
   * history rows inside the server instead of through the client). Rows there are only ever read that way for
   * positions already returned by `readPage`/`readAll`, so the visibility horizon still decides what is seen.
   */
  async location(): Promise<{ readonly database: string; readonly table: string }> {
    const { rows } = await this.pool.query<{ id: string }>(DATABASE_IDENTITY_SQL);
    return { database: rows[0]?.id ?? '', table: `${this.q}.events` };
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
    const spec: AppendSpec = {
      stream,
      streamJson: JSON.stringify(stream),
      expected: typeof expected === 'number' ? expected : EXPECTED_CODES[expected],
      events: events.map((e) => {
        const event = { ...e, data: normaliseJson(e.data), metadata: normaliseJson(e.metadata) };
        return {
          id: e.id.toLowerCase(),
          type: e.type,
          version: e.schemaVersion,
          data: event.data,
          metadata: event.metadata,
          content: eventContent(event),
        };
      }),
    };
    const hold = this.options.holdAppendTransactionMs?.(stream) ?? 0;
    const row =
      hold > 0
        ? await this.inTransaction(async (client) => {
            const [only] = await this.runBatch(client, [spec]);
            await sleep(hold);
            return only;
          })
        : await new Promise<BatchRow>((resolve, reject) => {
            this.pending.push({ spec, resolve, reject });
            this.flush();
          });
    if (!row) throw new Error('append_batch returned no row');
    return this.toResult(row, stream, expected);
  }

  /**
   * Application-level group commit: while `appendConcurrency` batches are in flight, further appends queue up
   * and go together in the next transaction (one commit, one WAL flush for all of them). No timer: a lone
   * append goes at once. Each append keeps its own expectation check and outcome inside the batch.
   */
  private flush(): void {
    while (this.inFlight < (this.options.appendConcurrency ?? 2) && this.pending.length > 0) {
      const batch: PendingAppend[] = [];
      let eventCount = 0;
      while (this.pending.length > 0 && batch.length < 64) {
        const next = this.pending[0];
        if (!next || (batch.length > 0 && eventCount + next.spec.events.length > MAX_EVENTS_PER_APPEND))
          break;
        batch.push(next);
        eventCount += next.spec.events.length;
        this.pending.shift();
      }
      this.inFlight++;
      void this.sendBatch(batch).finally(() => {
        // The slot frees only after the callers just answered had their turn to append again (microtasks
        // run before setImmediate), so they join the next batch instead of each starting a lone one.
        setImmediate(() => {
          this.inFlight--;
          this.flush();
        });
      });
    }
  }

  private async sendBatch(batch: readonly PendingAppend[], attempt = 0): Promise<void> {
    try {
      const rows = await this.runBatch(
        this.pool,
        batch.map((p) => p.spec),
      );
      batch.forEach((p, i) => {
        const row = rows[i];
        if (row) p.resolve(row);
        else p.reject(new Error('append_batch returned too few rows'));
      });
      if (rows.some((r) => r.status === 'ok')) this.signalAppended();
    } catch (error) {
      if (isConnectionFailure(error) && !this.closed) {
        // The connection died, maybe around COMMIT: the batch may or may not be stored. Sending the very same
        // batch again is safe either way: an append already stored comes back 'replayed' with its original
        // result (same ids, same content), one that was not is stored now; a transaction still running on
        // the server holds its streams' advisory locks, so the retry waits for its outcome instead of racing.
        const delay = APPEND_RETRY_DELAYS_MS[attempt];
        this.appendRetries++;
        if (delay !== undefined) {
          await sleep(delay);
          return this.sendBatch(batch, attempt + 1);
        }
        for (const p of batch) p.reject(new StoreUnavailableError('append', true, error));
        return;
      }
      if (batch.length === 1) {
        batch[0]?.reject(mapUniqueViolation(error));
        return;
      }
      // Something failed the whole transaction (e.g. the same id racing into two streams): isolate it.
      await Promise.all(batch.map((p) => this.sendBatch([p], attempt)));
    }
  }

  /** A read that lost its connection is repeated on a fresh one (the pool replaces dead clients). */
  private async reading<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!isConnectionFailure(error) || this.closed) throw error;
        const delay = READ_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw new StoreUnavailableError('read', false, error);
        await sleep(delay);
      }
    }
  }

  private async runBatch(client: Pool | PoolClient, specs: readonly AppendSpec[]): Promise<BatchRow[]> {
    const { rows } = await client.query<BatchRow>(
      `SELECT ord, status, next_revision, last_position, actual_revision, conflict_id
         FROM ${this.q}.append_batch($1, $2::jsonb) ORDER BY ord`,
      [this.lockKey, JSON.stringify(specs)],
    );
    return rows;
  }

  private toResult(row: BatchRow, stream: string, expected: ExpectedRevision): AppendResult {
    switch (row.status) {
      case 'ok':
      case 'replayed':
        return {
          nextExpectedRevision: Number(row.next_revision),
          lastGlobalPosition: Number(row.last_position),
        };
      case 'wrong':
        throw new WrongExpectedRevisionError(
          stream,
          String(expected),
          row.actual_revision === null ? undefined : Number(row.actual_revision),
        );
      case 'duplicate':
        throw new DuplicateEventIdError(row.conflict_id ?? '');
      default: {
        const unknownStatus: never = row.status;
        throw new Error(`unknown append status ${String(unknownStatus)}`);
      }
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    checkReadStream(stream, options);
    return this.reading(() => this.readStreamOnce(stream, options));
  }

  private async readStreamOnce(stream: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const whole =
      options.direction !== 'backwards' &&
      (options.fromRevision ?? 0) === 0 &&
      options.maxCount === undefined;
    if (whole) {
      const rows = await new Promise<EventRow[]>((resolve, reject) => {
        this.pendingReads.push({ stream, resolve, reject });
        this.flushReads();
      });
      return rows.map(toRecorded);
    }
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.q}.events WHERE stream = $1 AND revision ${backwards ? '<=' : '>='} $2
        ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, from, options.maxCount ?? null],
    );
    return rows.map(toRecorded);
  }

  /**
   * Whole-stream reads (what a command handler does to load its aggregate) that arrive while
   * `READS_IN_FLIGHT` are running wait for one and then share ONE statement, like appends share a transaction:
   * under concurrent commands a round trip serves several, and a lone read goes at once. Each stream's events
   * come from that statement's snapshot, as a read of its own would (a command then appends with the revision
   * it read, so a later write is still caught by the expected-revision check).
   */
  private flushReads(): void {
    if (this.readsInFlight >= READS_IN_FLIGHT || this.pendingReads.length === 0) return;
    const batch = this.pendingReads.splice(0, MAX_STREAMS_PER_READ);
    this.readsInFlight++;
    const streams = [...new Set(batch.map((r) => r.stream))];
    this.pool
      .query<EventRow>(
        `SELECT ${COLUMNS} FROM ${this.q}.events WHERE stream = ANY($1::text[]) ORDER BY stream, revision`,
        [streams],
      )
      .then(
        ({ rows }) => {
          const byStream = new Map<string, EventRow[]>();
          for (const row of rows) {
            const list = byStream.get(row.stream);
            if (list) list.push(row);
            else byStream.set(row.stream, [row]);
          }
          for (const r of batch) r.resolve(byStream.get(r.stream) ?? []);
        },
        (error: unknown) => batch.forEach((r) => r.reject(error)),
      )
      .finally(() => {
        this.readsInFlight--;
        this.flushReads();
      });
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    checkReadAll(options);
    const limit = options.maxCount ?? 1000;
    const deadline = Date.now() + (this.options.readAllSettleMs ?? 1000);
    for (;;) {
      const page = await this.reading(() => this.readPage(options.after ?? -1, limit, options.filter));
      if (page.events.length === limit || !page.hiddenCommitted || Date.now() >= deadline) return page.events;
      await sleep(5);
    }
  }

  /**
   * One page below the horizon, plus what the scan proves: every position < `horizon` has been seen, and
   * whether committed rows exist above the horizon (held back by an older open transaction).
   */
  async readPage(
    after: number,
    limit: number,
    filter: AllFilter | undefined,
  ): Promise<{
    events: RecordedEvent[];
    horizon: number;
    maxPosition: number | undefined;
    hiddenCommitted: boolean;
  }> {
    const params: unknown[] = [after, limit];
    let where = '';
    if (filter?.eventTypes) {
      params.push(filter.eventTypes);
      where += ` AND e.type = ANY($${params.length}::text[])`;
    }
    if (filter?.streamPrefixes) {
      params.push(filter.streamPrefixes.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
      where += ` AND e.stream LIKE ANY($${params.length}::text[])`;
    }
    // One statement, one snapshot: the horizon, the page below it and the highest committed position, as plain
    // rows (horizon and max position repeated on each; one row of nulls when the page is empty). Plain rows,
    // not one json_agg document: the server builds no JSON and a replay runs about twice as fast (figures:
    // README.md, Benchmarks, "Figures behind the code"). recorded_at comes as epoch seconds (see epochTextToIso).
    // The horizon bound is applied AFTER the LIMIT, on purpose. Inside the scan, `global_position > $1 AND
    // global_position < horizon` is a range with one bound unknown at planning time, which PostgreSQL estimates
    // at 0.5 % of the table (without statistics: on a freshly filled table); it then picks a bitmap scan of
    // EVERY row after the cursor plus a top-N sort, for each page (quadratic in the backlog; figures in the
    // README, Benchmarks). With only `> $1` in the
    // scan the estimate is real and the plan is an ordered primary-key scan that stops after $2 rows. Same
    // result: rows above the horizon sort after every row below it, so cutting them after the LIMIT leaves
    // exactly the rows below the horizon among the first $2 after the cursor.
    const { rows } = await this.pool.query<PageRow>({
      text: `SELECT h.horizon, m.max_position, ${PAGE_COLUMNS}
               FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1024 AS horizon) h
              CROSS JOIN (SELECT max(global_position) AS max_position FROM ${this.q}.events) m
               LEFT JOIN LATERAL (SELECT * FROM ${this.q}.events e
                                   WHERE e.global_position > $1${where}
                                   ORDER BY e.global_position LIMIT $2) p ON p.global_position < h.horizon`,
      values: params,
      rowMode: 'array',
    });
    const first = rows[0];
    const horizon = Number(first?.[0] ?? 0);
    const maxPosition = first?.[1] == null ? undefined : Number(first[1]);
    const events: RecordedEvent[] = [];
    let previous = after;
    let unordered = false;
    for (const [
      ,
      ,
      position,
      id,
      stream,
      revision,
      type,
      schemaVersion,
      data,
      metadata,
      recordedAt,
    ] of rows) {
      if (position === null) continue;
      const globalPosition = Number(position);
      if (globalPosition < previous) unordered = true;
      previous = globalPosition;
      events.push({
        id,
        type,
        schemaVersion,
        data,
        metadata,
        stream,
        revision: Number(revision),
        globalPosition,
        recordedAt: epochTextToIso(recordedAt),
      });
    }
    // The nested loop keeps the LIMIT subquery's order; checked rather than assumed.
    if (unordered) events.sort((x, y) => x.globalPosition - y.globalPosition);
    return {
      events,
      horizon,
      maxPosition,
      hiddenCommitted: maxPosition !== undefined && maxPosition >= horizon,
    };
  }

  subscribeToAll(
    handler: BatchHandler,
    options: SubscribeOptions & { readonly onError?: (error: unknown) => void } = {},
  ): Subscription {
    checkReadAll(options);
    const batchSize = options.batchSize ?? 100;
    const pageSize = Math.max(batchSize, 500);
    let position = options.after;
    /** Everything at or below it was scanned (handed over, or filtered out). */
    let cursor = options.after ?? -1;
    let running = true;
    let wake: (() => void) | undefined;
    let resolveCaughtUp!: () => void;
    let rejectCaughtUp!: (error: unknown) => void;
    const caughtUp = new Promise<void>((resolve, reject) => {
      resolveCaughtUp = resolve;
      rejectCaughtUp = reject;
    });
    // A subscription that fails before catching up rejects caughtUp (it used to never settle, so an awaiting
    // `ProjectionRunner.start` hung). The error also goes to onError, so a caller that does not await caughtUp
    // must not get an unhandled rejection: mark it handled here.
    caughtUp.catch(() => undefined);
    let target: number | undefined;
    /** A wake-up that came while the loop was reading or handing over: it must not be lost (no sleep then). */
    let woken = false;
    const waker = (): void => {
      if (wake) wake();
      else woken = true;
    };
    this.wakers.add(waker);

    type Page = Awaited<ReturnType<PostgresEventStore['readPage']>>;
    const read = (after: number): Promise<Page> => {
      woken = false; // this read sees every commit a pending wake-up announced
      return this.readPage(after, pageSize, options.filter);
    };
    /** The next page, read while the current one is handed over (only after a full page). */
    let ahead: Promise<Page> | undefined;

    const loop = async (): Promise<void> => {
      if (this.notifications === 'listen') await this.ensureListener();
      try {
        while (running) {
          const page = await (ahead ?? read(cursor));
          ahead = undefined;
          // Caught up = scanned past everything committed when the subscription started.
          target ??= page.maxPosition ?? -1;
          // Read-ahead: a full page means more may follow, so the next page is read while this one is handed
          // over; the store read then overlaps the handler's work (the relay: its broker round trip) instead of
          // adding to it. It starts after the last event of this page, where the cursor will be once the page
          // is handed over, and it resets `woken` when it starts, like any read: a wake-up during the hand-over
          // is kept. Not after a short page: that one ends at the horizon, the loop waits for news next.
          const last = page.events[page.events.length - 1];
          if (page.events.length === pageSize && last) {
            ahead = read(last.globalPosition);
            ahead.catch(() => undefined); // a failure surfaces when the loop takes it
          }
          for (let i = 0; i < page.events.length && running; i += batchSize) {
            const batch = page.events.slice(i, i + batchSize);
            await handler(batch);
            position = batch[batch.length - 1]?.globalPosition ?? position;
            cursor = position ?? cursor;
          }
          if (!running) break;
          if (page.events.length === pageSize) continue;
          cursor = Math.max(cursor, page.horizon - 1);
          if (cursor >= target) resolveCaughtUp();
          if (woken) {
            woken = false;
            continue;
          }
          // Rows above the horizon are committed but held back by an older open transaction: look again soon.
          const waitMs = page.hiddenCommitted
            ? 10
            : (this.options.pollIntervalMs ?? (this.notifications === 'listen' ? 1000 : 50));
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
      } finally {
        // Stopped (or the handler failed) with a page read ahead: let the read finish, drop the page.
        await ahead?.catch(() => undefined);
        ahead = undefined;
      }
    };

    const done = loop().catch((error: unknown) => {
      running = false;
      rejectCaughtUp(error); // no effect once caught up
      options.onError?.(error);
    });
    const subscription: Subscription = {
      caughtUp,
      position: () => position,
      stop: async () => {
        running = false;
        wake?.();
        await done;
        this.wakers.delete(waker);
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    checkStream(stream);
    const { rows } = await this.reading(() =>
      this.pool.query<{ revision: string | null }>(
        `SELECT max(revision) AS revision FROM ${this.q}.events WHERE stream = $1`,
        [stream],
      ),
    );
    const revision = rows[0]?.revision;
    return revision == null ? undefined : Number(revision);
  }

  /** Recomputes one stream's hash chain; the first broken event, or undefined when intact. */
  async verifyStreamChain(stream: string): Promise<BrokenLink | undefined> {
    return (await this.verifyChains({ stream })).broken;
  }

  /** Recomputes every stream's chain, streams in name order; the first broken event found, if any. */
  async verifyAll(): Promise<BrokenLink | undefined> {
    return (await this.verifyChains()).broken;
  }

  async verifyChains(options: { readonly stream?: string } = {}): Promise<ChainReport> {
    if (options.stream !== undefined) {
      checkStream(options.stream);
      const { rows } = await this.pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM ${this.q}.events WHERE stream = $1 ORDER BY revision`,
        [options.stream],
      );
      const broken = findBrokenLink(rows.map(toStored));
      return { events: rows.length, streams: rows.length > 0 ? 1 : 0, ...(broken ? { broken } : {}) };
    }
    const client = await this.pool.connect();
    let events = 0;
    let streams = 0;
    try {
      // A cursor keeps memory flat on large stores; REPEATABLE READ gives one consistent view.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`DECLARE verify_all NO SCROLL CURSOR FOR
        SELECT ${COLUMNS} FROM ${this.q}.events ORDER BY stream, revision`);
      let current: StoredEventWithHash[] = [];
      for (;;) {
        const { rows } = await client.query<EventRow>('FETCH 5000 FROM verify_all');
        for (const row of rows) {
          const event = toStored(row);
          if (current.length > 0 && current[0]?.stream !== event.stream) {
            const broken = findBrokenLink(current);
            if (broken) return { events, streams, broken };
            current = [];
          }
          if (current.length === 0) streams++;
          events++;
          current.push(event);
        }
        if (rows.length === 0) {
          const broken = findBrokenLink(current);
          return { events, streams, ...(broken ? { broken } : {}) };
        }
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /**
   * Streams the selection through a server-side cursor in one REPEATABLE READ transaction (rolled back and
   * released when the caller's loop ends, breaks or throws). `recordedAt` keeps the stored microseconds here,
   * so a period's bounds select exactly what the export shows.
   */
  async *readChained(selection: ChainSelection): AsyncGenerator<ChainedEvent> {
    const where =
      selection.kind === 'stream' ? 'e.stream = $1' : 'e.recorded_at >= $1 AND e.recorded_at <= $2';
    const params = selection.kind === 'stream' ? [selection.stream] : [selection.from, selection.to];
    if (selection.kind === 'stream') checkStream(selection.stream);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(
        `DECLARE audit_export NO SCROLL CURSOR FOR
         SELECT e.global_position, e.event_id, e.stream, e.revision, e.type, e.schema_version, e.data, e.metadata,
                to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, e.hash,
                coalesce((SELECT p.hash FROM ${this.q}.events p WHERE p.stream = e.stream AND p.revision = e.revision - 1), '')
                  AS prev_hash
           FROM ${this.q}.events e WHERE ${where} ORDER BY e.global_position`,
        params,
      );
      for (;;) {
        const { rows } = await client.query<EventRow & { prev_hash: string }>('FETCH 2000 FROM audit_export');
        if (rows.length === 0) return;
        for (const row of rows) yield { ...toStored(row), prevHash: row.prev_hash };
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.listenerStarting?.catch(() => undefined);
    await this.listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  private get channel(): string {
    return `es_${this.schema}`;
  }

  private signalAppended(): void {
    for (const w of this.wakers) w();
    if (this.notifications !== 'listen' || this.notifyPending || this.closed) return;
    // Throttled to one NOTIFY per NOTIFY_INTERVAL_MS (leading and trailing edge), sent outside the append
    // transactions: other processes' subscribers wake within that interval, appends pay nothing.
    this.notifyPending = true;
    const wait = Math.max(0, this.lastNotifyAt + NOTIFY_INTERVAL_MS - Date.now());
    setTimeout(() => {
      this.notifyPending = false;
      if (this.closed) return;
      this.lastNotifyAt = Date.now();
      this.pool.query('SELECT pg_notify($1, $2)', [this.channel, '']).catch(() => undefined);
    }, wait);
  }

  /** Opens the LISTEN connection if there is none; on failure the healer keeps trying (never throws). */
  private async ensureListener(): Promise<void> {
    if (this.listener || this.closed) return;
    this.listenerStarting ??= this.openListener()
      .catch((error: unknown) => {
        this.options.onListenerChange?.({ state: 'lost', error });
        this.healListener();
      })
      .finally(() => {
        this.listenerStarting = undefined;
      });
    await this.listenerStarting;
  }

  private async openListener(): Promise<void> {
    const client = new Client({ connectionString: this.options.connectionString });
    client.on('notification', () => {
      for (const w of this.wakers) w();
    });
    let lost = false;
    const onLost = (error?: unknown): void => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      if (this.closed) return;
      this.listenerLosses++;
      this.options.onListenerChange?.({ state: 'lost', error });
      this.healListener();
    };
    // A terminated backend (pg_terminate_backend, server restart) ends this connection: re-open it.
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    // Closed meanwhile, or another opening won: one LISTEN connection per store, the surplus one is ended
    // quietly (marked lost first, so its 'end' is not taken for a lost listener).
    if (this.closed || this.listener) {
      lost = true;
      await client.end().catch(() => undefined);
    } else this.listener = client;
  }

  /**
   * Re-opens a lost LISTEN connection: first at once, then every second at most, until it is back or the
   * store closes. Meanwhile subscriptions fall back to their poll; once back, every subscriber is woken, as
   * a commit may have been announced while nobody listened.
   */
  private healListener(): void {
    if (this.healing || this.closed) return;
    this.healing = true;
    void (async () => {
      for (let attempt = 0; !this.closed && !this.listener; attempt++) {
        await sleep(LISTEN_RETRY_DELAYS_MS[Math.min(attempt, LISTEN_RETRY_DELAYS_MS.length - 1)]);
        // A subscriber may have re-opened the connection (ensureListener) while this loop slept.
        if (this.closed || this.listener) break;
        this.listenerStarting ??= this.openListener()
          .catch(() => undefined)
          .finally(() => {
            this.listenerStarting = undefined;
          });
        await this.listenerStarting;
      }
      this.healing = false;
      if (this.listener && !this.closed) {
        this.listenerRestores++;
        this.options.onListenerChange?.({ state: 'restored' });
        for (const w of this.wakers) w();
      }
    })();
  }

  /**
   * Connection health: whether commits of other processes wake subscribers now (LISTEN), how often that
   * connection was lost and restored, and how many append batches lost their connection and were re-sent.
   */
  connectionStatus(): {
    readonly mode: 'listen' | 'poll';
    readonly listening: boolean;
    readonly losses: number;
    readonly restores: number;
    readonly appendRetries: number;
  } {
    return {
      mode: this.notifications,
      listening: this.listener !== undefined,
      losses: this.listenerLosses,
      restores: this.listenerRestores,
      appendRetries: this.appendRetries,
    };
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Default report of the LISTEN connection's state: one JSON line on stderr, like the services' logs. */
function logListenerChange(change: { readonly state: 'lost' | 'restored'; readonly error?: unknown }): void {
  const reason = change.error instanceof Error ? `: ${change.error.message}` : '';
  process.stderr.write(
    `${JSON.stringify({
      level: change.state === 'lost' ? 'warn' : 'log',
      pid: process.pid,
      timestamp: Date.now(),
      message:
        change.state === 'lost'
          ? `event store LISTEN connection lost${reason}; re-opening (subscriptions poll meanwhile)`
          : 'event store LISTEN connection restored',
      context: 'event-store',
    })}\n`,
  );
}

/** The same id appended to two streams at the same instant: the unique index is the last line of defence. */
function mapUniqueViolation(error: unknown): unknown {
  const e = error as { code?: string; constraint?: string; detail?: string };
  if (e.code === '23505' && e.constraint === 'events_event_id_key') {
    return new DuplicateEventIdError(/\(event_id\)=\(([^)]+)\)/.exec(e.detail ?? '')?.[1] ?? '');
  }
  return error;
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    stream: row.stream,
    revision: Number(row.revision),
    globalPosition: Number(row.global_position),
    recordedAt: row.recorded_at,
  };
}

function toStored(row: EventRow): StoredEventWithHash {
  return { ...toRecorded(row), hash: row.hash };
}

/** FNV-1a: a stable 32-bit signed key for pg_advisory_xact_lock(int, int). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
