import { randomBytes } from 'node:crypto';
import {
  DATABASE_IDENTITY_SQL,
  type EventStore,
  type PostgresEventStore,
  type RecordedEvent,
} from '@app/event-store';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { openReadModelDataSource } from '../data-source';
import type { Projection, ReplaySession } from './projection';

/**
 * Rebuild-aside: projections are rebuilt from the event store into a fresh SHADOW schema while the api keeps
 * serving (and updating) the live tables, then swapped in with one short transaction:
 *
 *   1. `<live>_shadow_<rand>` gets the read-model migration (same DDL, same index names as live).
 *   2. Secondary indexes of the rebuilt tables are dropped, events are replayed in big pages through the SAME
 *      projection code (`Projection.apply`), with the next page read while the current one is written; then
 *      the indexes are recreated from their saved definitions.
 *   3. Catch-up pages until the shadow is (nearly) at the head of the log.
 *   4. Swap transaction: lock the live checkpoint rows of the rebuilt projections (`FOR UPDATE`, the same
 *      lock every ProjectionRunner batch takes first, so a batch in flight finishes before and the next one
 *      waits), lock every live table at once without waiting long while holding any (lockLiveTables: no
 *      deadlock with a reader that holds one table and wants another), move the live tables into
 *      `<live>_trash_<rand>`, move the shadow tables into the live schema,
 *      and set the live checkpoints to the shadow's position. Commit; drop trash and shadow.
 *   5. A running api's ProjectionRunner finds its checkpoint moved at its next batch, rolls that batch back
 *      and restarts from the stored checkpoints: events appended during or after the rebuild are applied to
 *      the new tables. Readers blocked for the instant of the swap resolve the table names again and read the
 *      new tables (PostgreSQL re-resolves a name after waiting for its lock).
 * Nothing is dropped before the swap commits: a failed or interrupted rebuild leaves live tables untouched
 * (the shadow schema is dropped on failure). One rebuild per live schema at a time: a rebuild holds a session
 * advisory lock for its whole run, and another one started meanwhile stops at once with RebuildInProgressError.
 * Holding that lock also proves that any `<live>_shadow_*` or `<live>_trash_*` schema found at the start was
 * left by a killed rebuild: those are dropped first and named in the result.
 */
export interface RebuildAsideOptions {
  readonly url: string;
  /** The live read-model schema (READ_MODEL_SCHEMA, default public). */
  readonly liveSchema: string;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  /** Events per page (one read; one transaction per lane). Default 5000 per lane. */
  readonly pageSize?: number;
  /** Parallel lanes (by stream) the pages are applied in; default DEFAULT_LANES. */
  readonly lanes?: number;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** TEST HOOK: runs after the last catch-up page, right before the swap transaction. */
  readonly beforeSwap?: () => Promise<void>;
}

export interface RebuildProgress {
  readonly phase: 'replay' | 'indexes' | 'swap' | 'done';
  readonly eventsRead: number;
  readonly position: number;
}

export interface RebuildResult {
  readonly projections: readonly string[];
  /** Shadow/trash schemas of interrupted earlier rebuilds, dropped before this one started. */
  readonly leftoversDropped: readonly string[];
  readonly eventsRead: number;
  readonly position: number;
  readonly seconds: number;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
export function quoteSchema(name: string): string {
  if (!IDENT.test(name)) throw new Error(`invalid schema name ${JSON.stringify(name)}: use [a-z_][a-z0-9_]*`);
  return `"${name}"`;
}

/** A fresh schema next to `live` (names stay within PostgreSQL's 63 characters). */
export function siblingSchema(live: string, role: 'shadow' | 'trash'): string {
  return `${live.slice(0, 40)}_${role}_${randomBytes(4).toString('hex')}`;
}

/** Another rebuild of the same live schema is running (it holds the rebuild lock). Nothing was changed. */
export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
  constructor(readonly liveSchema: string) {
    super(`another rebuild-projections is running on schema ${liveSchema}; try again when it has finished`);
  }
}

/**
 * Takes the rebuild lock of `live` on a connection of its own (held until `release`), then drops the sibling
 * schemas earlier rebuilds left behind when they were killed: while the lock is held no other rebuild runs, so
 * every sibling found is a leftover.
 */
async function claimRebuild(
  url: string,
  live: string,
): Promise<{ leftovers: string[]; release: () => Promise<void> }> {
  const prefix = live.slice(0, 40);
  const client = new Client({ connectionString: url });
  await client.connect();
  const release = async (): Promise<void> => {
    await client.query(`SELECT pg_advisory_unlock(hashtext('rebuild-aside'), hashtext($1))`, [prefix]);
    await client.end();
  };
  try {
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(hashtext('rebuild-aside'), hashtext($1)) AS ok`,
      [prefix],
    );
    if (rows[0]?.ok !== true) throw new RebuildInProgressError(live);
    // `prefix` is a valid identifier ([a-z0-9_]), so it is its own regular expression.
    const found = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace WHERE nspname ~ ('^' || $1 || '_(shadow|trash)_[0-9a-f]{8}$')
        ORDER BY 1`,
      [prefix],
    );
    const leftovers = found.rows.map((r) => r.name);
    for (const schema of leftovers)
      await client.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`);
    return { leftovers, release };
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}

/**
 * Lanes by default: one more than the cores of the target machine (2), so that while two lanes keep the server
 * busy the third is being folded by the client (bench:rebuild figures per lane count: README.md, Benchmarks,
 * "Figures behind the code").
 */
export const DEFAULT_LANES = 3;

/** Pages read and handed to the lanes before the oldest has committed (bounds memory). */
const PAGES_IN_FLIGHT = 3;

/** Replays the whole log into `projections` on `em`'s schema; `until` stops at that position (inclusive). */
export class ShadowReplayer {
  eventsRead = 0;
  position = -1;

  private readonly lanes: number;

  constructor(
    private readonly store: EventStore,
    private readonly shadow: DataSource,
    private readonly projections: readonly Projection[],
    private readonly pageSize: number,
    private readonly onPage?: (replayer: ShadowReplayer) => void,
    lanes = 1,
  ) {
    this.lanes = projections.some((p) => p.crossStream) ? 1 : Math.max(1, lanes);
  }

  /**
   * Replays pages until the log is exhausted (or `until` is reached); returns the last position applied. The
   * tables are complete when it returns: projections with a replay session are flushed at the end.
   */
  async catchUp(until = Number.POSITIVE_INFINITY, em?: EntityManager): Promise<number> {
    // Each page is split by stream into `lanes` sub-batches, each applied in its own transaction on its own
    // connection: the database work of a replay (index upkeep, TOAST compression, WAL) is what costs, and lanes
    // put every core on it. Sound because each row is keyed by its event's stream (see
    // `Projection.crossStream`): a stream always lands in the same lane, and a lane applies its pages in order.
    // Per lane, a chain of page transactions: lane k of page n+1 starts when lane k of page n has committed,
    // whatever the other lanes are doing, so the client's work on one lane (folding events) overlaps the
    // server's on the others (writing rows). Pages complete in order; at most PAGES_IN_FLIGHT are pending.
    const chains: Promise<void>[] = Array.from({ length: this.lanes }, () => Promise.resolve());
    const pending: Promise<void>[] = [];
    let next: Promise<RecordedEvent[]> | undefined = this.read(this.position);
    try {
      while (next) {
        const read: RecordedEvent[] = await next;
        const page = read.filter((e) => e.globalPosition <= until);
        const last: RecordedEvent | undefined = page[page.length - 1];
        if (!last) break;
        // Read ahead: the next page comes from the store's pool while this one is written.
        next =
          page.length === this.pageSize && last.globalPosition < until
            ? this.read(last.globalPosition)
            : undefined;
        const done = (): void => {
          this.position = last.globalPosition;
          this.eventsRead += page.length;
          this.onPage?.(this);
        };
        if (em) {
          await this.apply(page, em, 0);
          done();
          continue;
        }
        const lanes: RecordedEvent[][] = Array.from({ length: this.lanes }, () => []);
        for (const e of page) lanes[this.lanes === 1 ? 0 : laneOf(e.stream, this.lanes)]?.push(e);
        for (const [lane, events] of lanes.entries()) {
          if (events.length === 0) continue;
          chains[lane] = (chains[lane] ?? Promise.resolve()).then(() =>
            this.shadow.transaction((tx) => this.apply(events, tx, lane)),
          );
        }
        const pageDone = Promise.all(chains).then(done);
        pageDone.catch(() => undefined); // reported when awaited below
        pending.push(pageDone);
        if (pending.length >= PAGES_IN_FLIGHT) await pending.shift();
      }
      for (const p of pending.splice(0)) await p;
    } finally {
      // On failure, wait for what is still running before the caller drops the shadow.
      await Promise.allSettled([...pending, ...chains]);
      next?.catch(() => undefined);
    }
    if (em) await this.flush(em, 0);
    else
      await Promise.all(
        this.sessions.map((_, lane) => this.shadow.transaction((tx) => this.flush(tx, lane))),
      );
    return this.position;
  }

  /** Replay sessions per lane (a stream always lands in the same lane, so in the same session). */
  private readonly sessions: Map<Projection, ReplaySession>[] = [];
  private async session(p: Projection, lane: number): Promise<ReplaySession | undefined> {
    if (!p.replaySession) return undefined;
    const byProjection = (this.sessions[lane] ??= new Map());
    let session = byProjection.get(p);
    if (!session) {
      const eventsTable = await this.sameDatabaseEventsTable();
      byProjection.set(p, (session = p.replaySession(eventsTable ? { eventsTable } : {})));
    }
    return session;
  }

  private eventsTable?: Promise<string | undefined>;
  /** The store's events table when the store is PostgreSQL in the shadow's own database (else undefined). */
  private sameDatabaseEventsTable(): Promise<string | undefined> {
    this.eventsTable ??= (async () => {
      const pg = this.store as Partial<Pick<PostgresEventStore, 'location'>>;
      if (typeof pg.location !== 'function') return undefined;
      const [store, mine] = await Promise.all([
        pg.location(),
        this.shadow.query<{ id: string }[]>(DATABASE_IDENTITY_SQL),
      ]);
      return store.database !== '' && store.database === mine[0]?.id ? store.table : undefined;
    })().catch(() => undefined);
    return this.eventsTable;
  }

  private async flush(em: EntityManager, lane: number): Promise<void> {
    const byProjection = this.sessions[lane];
    if (!byProjection || byProjection.size === 0) return;
    await this.tune(em);
    for (const session of byProjection.values()) await session.flush(em);
  }

  private lz4?: Promise<boolean>;
  private lz4Available(): Promise<boolean> {
    this.lz4 ??= this.shadow
      .query<{ ok: boolean }[]>(
        `SELECT 'lz4' = ANY(enumvals) AS ok FROM pg_settings WHERE name = 'default_toast_compression'`,
      )
      .then((rows) => rows[0]?.ok === true)
      .catch(() => false);
    return this.lz4;
  }

  private read(after: number): Promise<RecordedEvent[]> {
    // On PostgreSQL, one page below the visibility horizon without readAll's settle wait: a replay never needs
    // rows still held back by an open transaction (the runner picks them up after the swap; verify compares
    // at checkpoints the runner has already passed), and the wait would cost up to a second per catch-up.
    const pg = this.store as Partial<Pick<PostgresEventStore, 'readPage'>>;
    const page =
      typeof pg.readPage === 'function'
        ? pg.readPage(after, this.pageSize, undefined).then((p) => p.events)
        : this.store.readAll({ ...(after >= 0 ? { after } : {}), maxCount: this.pageSize });
    // A read-ahead that fails while the current page is written is reported when awaited, not as unhandled.
    page.catch(() => undefined);
    return page;
  }

  private async tune(em: EntityManager): Promise<void> {
    // The shadow is disposable until the swap: losing its last commits on a crash costs nothing, so its
    // commits do not wait for the WAL flush.
    await em.query('SET LOCAL synchronous_commit = off');
    // Read models are mostly JSON (ticket details, history snapshots): lz4 compresses them
    // several times faster than the default pglz, and every PostgreSQL >= 14 reads both.
    if (await this.lz4Available()) await em.query('SET LOCAL default_toast_compression = lz4');
  }

  private async apply(page: readonly RecordedEvent[], em: EntityManager, lane: number): Promise<void> {
    await this.tune(em);
    for (const p of this.projections) {
      const events = page.filter((e) => p.eventTypes.includes(e.type));
      if (events.length === 0) continue;
      const session = await this.session(p, lane);
      if (session) await session.apply(events, em);
      else await p.apply(events, em);
    }
  }
}

/** Opens a fresh shadow schema with the read-model migration applied. */
export async function openShadow(
  url: string,
  live: string,
  lanes = 1,
): Promise<{ schema: string; dataSource: DataSource }> {
  const schema = siblingSchema(live, 'shadow');
  const dataSource = await openReadModelDataSource({ url, schema, poolSize: lanes + 1 });
  return { schema, dataSource };
}

/** A stable lane per stream (FNV-1a). */
function laneOf(stream: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

export async function dropSchema(ds: DataSource, schema: string): Promise<void> {
  await ds.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`);
}

interface SavedIndex {
  readonly name: string;
  readonly table: string;
  readonly definition: string;
}

/** How long the swap waits for one live table's lock before it lets go of the others and tries again. */
const SWAP_LOCK_WAIT_MS = 200;
/** How long the swap keeps trying to lock every live table; then the rebuild fails, the live tables untouched. */
const SWAP_LOCK_DEADLINE_MS = 30_000;

/**
 * Takes ACCESS EXCLUSIVE on every live table of the rebuilt projections, all together, before the swap moves
 * any. A reader that holds one of them and then wants another (a join, or two reads in one transaction, in
 * another order than the swap's) would otherwise deadlock with the swap, and PostgreSQL would cancel one of the
 * two after deadlock_timeout (1 s by default): a 500 for the reader, or a failed rebuild. Here the swap never
 * waits long while holding a table: each attempt waits at most SWAP_LOCK_WAIT_MS per table (well under
 * deadlock_timeout), and a timed-out attempt is rolled back to its savepoint, which releases the tables it got,
 * so the reader finishes and the next attempt succeeds. Readers arriving meanwhile queue behind the swap's
 * request for an instant and then read the new tables (names are resolved again after a lock wait).
 */
async function lockLiveTables(em: EntityManager, live: string, tables: readonly string[]): Promise<void> {
  const existing = (
    await em.query<{ relname: string }[]>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p')`,
      [live, tables],
    )
  ).map((r) => r.relname);
  if (existing.length === 0) return;
  // The swap's own order (the order it moves them in), so that two swaps could never deadlock either.
  const list = tables
    .filter((t) => existing.includes(t))
    .map((t) => `${quoteSchema(live)}."${t}"`)
    .join(', ');
  const deadline = performance.now() + SWAP_LOCK_DEADLINE_MS;
  const [{ lock_timeout: before }] = await em.query<[{ lock_timeout: string }]>('SHOW lock_timeout');
  await em.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_WAIT_MS}ms'`);
  for (let attempt = 0; ; attempt++) {
    await em.query('SAVEPOINT swap_locks');
    try {
      await em.query(`LOCK TABLE ${list} IN ACCESS EXCLUSIVE MODE`);
      await em.query('RELEASE SAVEPOINT swap_locks');
      // The rest of the swap (the shadow's tables, the checkpoint rows it holds) waits as before.
      await em.query(`SET LOCAL lock_timeout = '${before}'`);
      return;
    } catch (error) {
      // 55P03 lock_not_available: lock_timeout fired. Anything else, or past the deadline: the rebuild fails.
      if ((error as { code?: string }).code !== '55P03' || performance.now() > deadline) throw error;
      await em.query('ROLLBACK TO SAVEPOINT swap_locks');
      await new Promise((r) => setTimeout(r, Math.min(10 * 2 ** attempt, 100) * (0.5 + Math.random())));
    }
  }
}

/** Secondary indexes (not backing a constraint: the projections' ON CONFLICT needs those) of `tables`. */
async function dropSecondaryIndexes(
  ds: DataSource,
  schema: string,
  tables: readonly string[],
): Promise<SavedIndex[]> {
  const rows: SavedIndex[] = await ds.query(
    `SELECT i.indexname AS name, i.tablename AS "table", i.indexdef AS definition
       FROM pg_indexes i
      WHERE i.schemaname = $1 AND i.tablename = ANY($2::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                         WHERE n.nspname = $1 AND c.conname = i.indexname)`,
    [schema, tables],
  );
  for (const r of rows) await ds.query(`DROP INDEX ${quoteSchema(schema)}."${r.name}"`);
  return rows;
}

export async function rebuildAside(options: RebuildAsideOptions): Promise<RebuildResult> {
  const started = performance.now();
  const live = options.liveSchema;
  quoteSchema(live);
  const lanes = options.lanes ?? DEFAULT_LANES;
  const claim = await claimRebuild(options.url, live);
  try {
    return await rebuildClaimed(options, claim.leftovers, started, lanes);
  } finally {
    await claim.release().catch(() => undefined);
  }
}

async function rebuildClaimed(
  options: RebuildAsideOptions,
  leftoversDropped: readonly string[],
  started: number,
  lanes: number,
): Promise<RebuildResult> {
  const live = options.liveSchema;
  const qLive = quoteSchema(live);
  const names = options.projections.map((p) => p.name);
  const tables = options.projections.flatMap((p) => [...p.tables]);
  const { schema: shadowSchema, dataSource: shadow } = await openShadow(options.url, live, lanes);
  const qShadow = quoteSchema(shadowSchema);
  const trashSchema = siblingSchema(live, 'trash');
  const qTrash = quoteSchema(trashSchema);
  const report = (phase: RebuildProgress['phase'], r: ShadowReplayer): void =>
    options.onProgress?.({ phase, eventsRead: r.eventsRead, position: r.position });
  const replayer = new ShadowReplayer(
    options.store,
    shadow,
    options.projections,
    options.pageSize ?? 5000 * lanes,
    (r) => report('replay', r),
    lanes,
  );
  try {
    const indexes = await dropSecondaryIndexes(shadow, shadowSchema, tables);
    await replayer.catchUp();
    report('indexes', replayer);
    // Index builds (and ANALYZE) share the shadow's connections, one statement per lane at a time.
    // Biggest tables first (longest job first): the history table's unique index and its ANALYZE start at
    // once on two lanes while the smaller tables' jobs fill the third, instead of the longest job starting
    // last and running alone at the end.
    const sizes = new Map(
      (
        await shadow.query<{ name: string; bytes: string }[]>(
          `SELECT c.relname AS name, pg_relation_size(c.oid) AS bytes
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`,
          [shadowSchema, tables],
        )
      ).map((r) => [r.name, Number(r.bytes)]),
    );
    const work = [
      ...indexes.map((index) => ({ table: index.table, sql: index.definition })),
      ...tables.map((t) => ({ table: t, sql: `ANALYZE ${qShadow}."${t}"` })),
    ]
      .sort((a, b) => (sizes.get(b.table) ?? 0) - (sizes.get(a.table) ?? 0))
      .map((job) => job.sql);
    await Promise.all(
      Array.from({ length: Math.max(1, lanes) }, async () => {
        for (let sql = work.shift(); sql !== undefined; sql = work.shift()) {
          const statement = sql;
          // More sort memory than the 64 MB default: a million history rows sort in memory.
          await shadow.transaction(async (em) => {
            await em.query(`SET LOCAL maintenance_work_mem = '256MB'`);
            await em.query(statement);
          });
        }
      }),
    );
    // Whatever was appended while the indexes were built.
    await replayer.catchUp();
    await options.beforeSwap?.();
    report('swap', replayer);
    await shadow.transaction(async (em) => {
      await em.query(`SET LOCAL lock_timeout = '30s'`);
      await em.query(
        `SELECT name FROM ${qLive}.projection_checkpoint WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE`,
        [names],
      );
      await lockLiveTables(em, live, tables);
      await em.query(`CREATE SCHEMA ${qTrash}`);
      for (const t of tables) {
        await em.query(`ALTER TABLE IF EXISTS ${qLive}."${t}" SET SCHEMA ${qTrash}`);
        await em.query(`ALTER TABLE ${qShadow}."${t}" SET SCHEMA ${qLive}`);
      }
      await em.query(
        `INSERT INTO ${qLive}.projection_checkpoint (name, position, updated_at)
         SELECT n, $2, now() FROM unnest($1::text[]) AS t(n)
         ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
        [names, replayer.position],
      );
    });
    await dropSchema(shadow, trashSchema);
    report('done', replayer);
    return {
      projections: names,
      leftoversDropped,
      eventsRead: replayer.eventsRead,
      position: replayer.position,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await dropSchema(shadow, shadowSchema).catch(() => undefined);
    await shadow.destroy();
  }
}
