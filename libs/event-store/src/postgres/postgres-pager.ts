// Reads of the PostgreSQL event store (postgres-event-store.ts): streams (whole-stream reads share a
// statement), pages of the global log below the visibility horizon, hash-chain checks and audit reads.
import { setTimeout as sleep } from 'node:timers/promises';

import { isConnectionFailure, StoreUnavailableError } from '../errors';
import type {
  AllFilter,
  ChainedEvent,
  ChainReport,
  ChainSelection,
  EventMetadata,
  JsonValue,
  LogTail,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  TailOptions,
} from '../event-store.port';
import { findBrokenLink, type StoredEventWithHash } from '../shared/hash-chain';
import { checkReadAll, checkReadStream, checkStream } from '../shared/validate-input';
import {
  COLUMNS,
  type EventRow,
  isoMs,
  type StoreContext,
  toRecorded,
  toStored,
} from './postgres-store-context';

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

/** readTail counts at most this many events unless told otherwise (the port's default). */
const DEFAULT_TAIL_COUNT = 10_000;

const READ_RETRY_DELAYS_MS = [50, 250];
/** Whole-stream read statements in flight at once (see flushReads), and streams one statement reads at most. */
const READS_IN_FLIGHT = 2;
const MAX_STREAMS_PER_READ = 64;

const PAGE_COLUMNS = `p.global_position, p.event_id, p.stream, p.revision, p.type, p.schema_version, p.data, p.metadata,
  extract(epoch FROM p.recorded_at)`;

export class PostgresPager {
  private readonly pendingReads: {
    readonly stream: string;
    readonly resolve: (rows: EventRow[]) => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  private readsInFlight = 0;

  constructor(private readonly ctx: StoreContext) {}

  /** A read that lost its connection is repeated on a fresh one (the pool replaces dead clients). */
  async reading<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!isConnectionFailure(error) || this.ctx.isClosed()) throw error;
        const delay = READ_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) throw new StoreUnavailableError('read', false, error);
        await sleep(delay);
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
    const { rows } = await this.ctx.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.ctx.q}.events WHERE stream = $1 AND revision ${backwards ? '<=' : '>='} $2
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
    this.ctx.pool
      .query<EventRow>(
        `SELECT ${COLUMNS} FROM ${this.ctx.q}.events WHERE stream = ANY($1::text[]) ORDER BY stream, revision`,
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
    const deadline = Date.now() + (this.ctx.options.readAllSettleMs ?? 1000);
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
    const { rows } = await this.ctx.pool.query<PageRow>({
      text: `SELECT h.horizon, m.max_position, ${PAGE_COLUMNS}
               FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1024 AS horizon) h
              CROSS JOIN (SELECT max(global_position) AS max_position FROM ${this.ctx.q}.events) m
               LEFT JOIN LATERAL (SELECT * FROM ${this.ctx.q}.events e
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

  /**
   * The head and the events after `after`, in one statement of primary-key index lookups: the last position,
   * the first one after `after`, and a count of at most `maxCount` index entries after it (so its cost grows with
   * the backlog up to that cap, and is one index descent when caught up). No horizon: committed rows above it
   * count too, and nothing waits for open transactions. `ORDER BY` keeps the count on the index (without it, on
   * stale statistics, PostgreSQL may pick a heap scan that finds the newest rows last).
   */
  async readTail(options: TailOptions = {}): Promise<LogTail> {
    checkReadAll(options);
    const { rows } = await this.reading(() =>
      this.ctx.pool.query<{
        head_position: string | null;
        head_recorded_at: string | null;
        events_after: string;
        first_after_recorded_at: string | null;
      }>(
        `SELECT h.global_position AS head_position, ${isoMs('h.recorded_at')} AS head_recorded_at,
                (SELECT count(*) FROM (SELECT 1 FROM ${this.ctx.q}.events c WHERE c.global_position > $1
                                        ORDER BY c.global_position LIMIT $2) n) AS events_after,
                (SELECT ${isoMs('f.recorded_at')} FROM ${this.ctx.q}.events f WHERE f.global_position > $1
                  ORDER BY f.global_position LIMIT 1) AS first_after_recorded_at
           FROM (SELECT 1) one
           LEFT JOIN LATERAL (SELECT e.global_position, e.recorded_at FROM ${this.ctx.q}.events e
                               ORDER BY e.global_position DESC LIMIT 1) h ON true`,
        [options.after ?? -1, options.maxCount ?? DEFAULT_TAIL_COUNT],
      ),
    );
    const row = rows[0];
    return {
      headPosition: row?.head_position == null ? -1 : Number(row.head_position),
      ...(row?.head_recorded_at ? { headRecordedAt: row.head_recorded_at } : {}),
      eventsAfter: Number(row?.events_after ?? 0),
      ...(row?.first_after_recorded_at ? { firstAfterRecordedAt: row.first_after_recorded_at } : {}),
    };
  }

  async streamRevision(stream: string): Promise<number | undefined> {
    checkStream(stream);
    const { rows } = await this.reading(() =>
      this.ctx.pool.query<{ revision: string | null }>(
        `SELECT max(revision) AS revision FROM ${this.ctx.q}.events WHERE stream = $1`,
        [stream],
      ),
    );
    const revision = rows[0]?.revision;
    return revision == null ? undefined : Number(revision);
  }

  async verifyChains(options: { readonly stream?: string } = {}): Promise<ChainReport> {
    if (options.stream !== undefined) {
      checkStream(options.stream);
      const { rows } = await this.ctx.pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM ${this.ctx.q}.events WHERE stream = $1 ORDER BY revision`,
        [options.stream],
      );
      const broken = findBrokenLink(rows.map(toStored));
      return { events: rows.length, streams: rows.length > 0 ? 1 : 0, ...(broken ? { broken } : {}) };
    }
    const client = await this.ctx.pool.connect();
    let events = 0;
    let streams = 0;
    try {
      // A cursor keeps memory flat on large stores; REPEATABLE READ gives one consistent view.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`DECLARE verify_all NO SCROLL CURSOR FOR
        SELECT ${COLUMNS} FROM ${this.ctx.q}.events ORDER BY stream, revision`);
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
    const client = await this.ctx.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(
        `DECLARE audit_export NO SCROLL CURSOR FOR
         SELECT e.global_position, e.event_id, e.stream, e.revision, e.type, e.schema_version, e.data, e.metadata,
                to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, e.hash,
                coalesce((SELECT p.hash FROM ${this.ctx.q}.events p WHERE p.stream = e.stream AND p.revision = e.revision - 1), '')
                  AS prev_hash
           FROM ${this.ctx.q}.events e WHERE ${where} ORDER BY e.global_position`,
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
}
