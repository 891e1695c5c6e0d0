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
import { Pool } from 'pg';

import { guardPoolClients } from './guard-pool';
import type {
  AllFilter,
  AppendOptions,
  AppendResult,
  BatchHandler,
  ChainedEvent,
  ChainReport,
  ChainSelection,
  EventStore,
  LogTail,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  TailOptions,
} from '../event-store.port';
import type { BrokenLink } from '../shared/hash-chain';
import { migrate, quoteIdent } from './migrations';
import { PostgresAppender } from './postgres-appender';
import { PostgresPager } from './postgres-pager';
import { hash32, type PostgresEventStoreOptions, type StoreContext } from './postgres-store-context';
import { logListenerChange, PostgresSubscriber } from './postgres-subscriber';

export { epochTextToIso } from './postgres-pager';
export type { PostgresEventStoreOptions } from './postgres-store-context';

/** One text naming the cluster and database of a connection (see `PostgresEventStore.location`). */
export const DATABASE_IDENTITY_SQL = `SELECT (SELECT system_identifier::text FROM pg_control_system()) || '/' || current_database() AS id`;

/**
 * The port, in three parts behind one class: the appender (postgres-appender.ts), the pager
 * (postgres-pager.ts: every read) and the subscriber (postgres-subscriber.ts), sharing one pool and schema.
 */
export class PostgresEventStore implements EventStore {
  private readonly appender: PostgresAppender;
  private readonly pager: PostgresPager;
  private readonly subscriber: PostgresSubscriber;
  private readonly q: string;
  private closed = false;

  private constructor(
    readonly pool: Pool,
    readonly schema: string,
    notifications: 'listen' | 'poll',
    options: PostgresEventStoreOptions,
  ) {
    this.q = quoteIdent(schema);
    const ctx: StoreContext = {
      pool,
      q: this.q,
      schema,
      lockKey: hash32(schema),
      options: { onListenerChange: logListenerChange, ...options },
      isClosed: () => this.closed,
    };
    this.pager = new PostgresPager(ctx);
    this.subscriber = new PostgresSubscriber(ctx, this.pager, notifications);
    this.appender = new PostgresAppender(ctx, () => this.subscriber.signalAppended());
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

  appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return this.appender.append(stream, events, options);
  }

  readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.pager.readStream(stream, options);
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.pager.readAll(options);
  }

  readTail(options: TailOptions = {}): Promise<LogTail> {
    return this.pager.readTail(options);
  }

  /**
   * One page below the horizon, plus what the scan proves: every position < `horizon` has been seen, and
   * whether committed rows exist above the horizon (held back by an older open transaction).
   */
  readPage(
    after: number,
    limit: number,
    filter: AllFilter | undefined,
  ): ReturnType<PostgresPager['readPage']> {
    return this.pager.readPage(after, limit, filter);
  }

  subscribeToAll(
    handler: BatchHandler,
    options: SubscribeOptions & { readonly onError?: (error: unknown) => void } = {},
  ): Subscription {
    return this.subscriber.subscribe(handler, options);
  }

  streamRevision(stream: string): Promise<number | undefined> {
    return this.pager.streamRevision(stream);
  }

  /** Recomputes one stream's hash chain; the first broken event, or undefined when intact. */
  async verifyStreamChain(stream: string): Promise<BrokenLink | undefined> {
    return (await this.verifyChains({ stream })).broken;
  }

  /** Recomputes every stream's chain, streams in name order; the first broken event found, if any. */
  async verifyAll(): Promise<BrokenLink | undefined> {
    return (await this.verifyChains()).broken;
  }

  verifyChains(options: { readonly stream?: string } = {}): Promise<ChainReport> {
    return this.pager.verifyChains(options);
  }

  /**
   * Streams the selection through a server-side cursor in one REPEATABLE READ transaction (rolled back and
   * released when the caller's loop ends, breaks or throws).
   */
  readChained(selection: ChainSelection): AsyncGenerator<ChainedEvent> {
    return this.pager.readChained(selection);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriber.close();
    await this.pool.end();
  }

  /**
   * Connection health: whether commits of other processes wake subscribers now (LISTEN), how often that
   * connection was lost and restored, and how many append batches lost their connection and were re-sent.
   */
  connectionStatus(): ReturnType<PostgresSubscriber['status']> & { readonly appendRetries: number } {
    return { ...this.subscriber.status(), appendRetries: this.appender.retries };
  }
}
