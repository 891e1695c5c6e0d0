import type { EventStore, LogTail, RecordedEvent, Subscription } from '@app/event-store';
import type { DataSource } from 'typeorm';
import type { Projection } from './projection';

export interface ProjectionLag {
  /** Events committed but not yet applied by the slowest projection (capped at `LAG_COUNT_CAP`). */
  readonly eventsBehind: number;
  /** Age of the oldest unapplied event, 0 when caught up. */
  readonly msBehind: number;
  readonly position: number;
  readonly running: boolean;
  readonly lastError?: string;
}

export const LAG_COUNT_CAP = 10_000;
/**
 * How long one probe of the store's tail answers lag() (see there): a burst of /health, /metrics and dashboard
 * calls costs one query a second at most, and the figures are at most this old about events appended since.
 */
export const LAG_PROBE_TTL_MS = 1000;

export interface ProjectionRunnerOptions {
  /** Milliseconds since the epoch: msBehind and the probe's lifetime are measured with it. Default `Date.now`. */
  readonly clock?: () => number;
  /** Default `LAG_PROBE_TTL_MS`; 0 probes on every call. */
  readonly lagProbeTtlMs?: number;
}

/** One probe of the store's tail after the runner's position at the time, shared by the calls that follow. */
interface LagProbe {
  readonly takenAt: number;
  /** Checkpoints reloaded since (restart, rebuild, swap) make the probe stale at once. */
  readonly loads: number;
  readonly position: number;
  /** The runner's `applied` count when the probe was taken. */
  readonly applied: number;
  readonly tail: Promise<LogTail>;
}

const RESTART_DELAY_MS = 500;

/**
 * A stored checkpoint no longer matches the runner's own: another process (the CLI's rebuild-aside) swapped
 * fresh tables in and set the checkpoint to where they stand. The batch is rolled back and the subscription
 * restarts from the stored checkpoints.
 */
export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';
  constructor(
    readonly projection: string,
    readonly expected: number,
    readonly stored: number,
  ) {
    super(`checkpoint of projection ${projection} moved from ${expected} to ${stored} (rebuilt aside)`);
  }
}

type Logger = { error(message: string, meta?: unknown): void; log?(message: string): void };

/**
 * Runs every projection off ONE catch-up subscription. Each batch is applied in one database transaction
 * that also moves each projection's checkpoint, so a crash never loses or double-applies an event.
 * Each projection keeps its own checkpoint, so one can be rebuilt while the others stay put.
 */
export class ProjectionRunner {
  private subscription: Subscription | undefined;
  private readonly positions = new Map<string, number>();
  private waiters: { position: number; resolve: () => void }[] = [];
  private stopped = true;
  private lastError: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Lag figures the runner keeps as it works: events applied past the slowest checkpoint, the last one's time. */
  private applied = 0;
  private lastAppliedRecordedAt: string | undefined;
  private checkpointLoads = 0;
  private probe: LagProbe | undefined;
  private readonly clock: () => number;
  private readonly lagProbeTtlMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly dataSource: DataSource,
    readonly projections: readonly Projection[],
    private readonly logger: Logger = console,
    private readonly batchSize = 500,
    options: ProjectionRunnerOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.lagProbeTtlMs = options.lagProbeTtlMs ?? LAG_PROBE_TTL_MS;
  }

  /** Starts the subscription; resolves once every projection has caught up with the store. */
  async start(): Promise<void> {
    const subscription = await this.open();
    // Rejects when the subscription fails before catching up (it used to hang forever then). onError has
    // already reported that failure and scheduled the restart; the caller learns that this start failed.
    await subscription.caughtUp;
  }

  private async open(): Promise<Subscription> {
    this.stopped = false;
    await this.loadCheckpoints();
    const from = this.position();
    const subscription = this.store.subscribeToAll((batch) => this.applyBatch(batch), {
      ...(from >= 0 ? { after: from } : {}),
      batchSize: this.batchSize,
      onError: (error) => this.onSubscriptionError(error),
    });
    this.subscription = subscription;
    return subscription;
  }

  /**
   * A restart in the background: a failure to open goes to onSubscriptionError; a failure of the opened
   * subscription reaches it through onError, so caughtUp's rejection is only kept from being unhandled
   * (handling it again would schedule a second restart).
   */
  private restart(): void {
    void this.open().then(
      (subscription) => subscription.caughtUp.catch(() => undefined),
      (e: unknown) => this.onSubscriptionError(e),
    );
  }

  /** How many times the runner restarted because its tables were swapped under it (rebuild-aside). */
  swapsObserved = 0;

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** The slowest projection's checkpoint (-1 before any event). */
  position(): number {
    let min = Number.POSITIVE_INFINITY;
    for (const p of this.projections) min = Math.min(min, this.positions.get(p.name) ?? -1);
    return Number.isFinite(min) ? min : -1;
  }

  /** Resolves true once every projection has applied `position`, false after `timeoutMs`. */
  waitFor(position: number, timeoutMs: number): Promise<boolean> {
    if (this.position() >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * The lag from what the runner keeps (its position, running, last error, what it applied) plus at most one
   * probe of the store's tail a `lagProbeTtlMs` (`readTail`: index lookups, no event bodies, never waiting on
   * open transactions; it used to read up to LAG_COUNT_CAP whole events, waiting for open transactions, on every
   * call). Between probes the runner's own progress moves the figures: past the probe's head it is caught up
   * as far as anyone knew then; short of it, it is behind by what the probe counted minus what it applied since
   * (at least 1). Events appended after the probe show at the next one. A failed probe is not kept, so a store
   * that cannot be read is reported at once.
   */
  async lag(): Promise<ProjectionLag> {
    const probe = this.currentProbe();
    const tail = await probe.tail;
    const position = this.position();
    return {
      ...this.behind(probe, tail, position),
      position,
      running: !this.stopped && this.subscription !== undefined,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private currentProbe(): LagProbe {
    const now = this.clock();
    const kept = this.probe;
    if (kept && kept.loads === this.checkpointLoads && now - kept.takenAt < this.lagProbeTtlMs) return kept;
    const position = this.position();
    const probe: LagProbe = {
      takenAt: now,
      loads: this.checkpointLoads,
      position,
      applied: this.applied,
      tail: this.store.readTail({ ...(position >= 0 ? { after: position } : {}), maxCount: LAG_COUNT_CAP }),
    };
    this.probe = probe;
    probe.tail.catch(() => {
      if (this.probe === probe) this.probe = undefined;
    });
    return probe;
  }

  private behind(
    probe: LagProbe,
    tail: LogTail,
    position: number,
  ): Pick<ProjectionLag, 'eventsBehind' | 'msBehind'> {
    if (position >= tail.headPosition) return { eventsBehind: 0, msBehind: 0 };
    if (position === probe.position)
      return { eventsBehind: tail.eventsAfter, msBehind: this.ageOf(tail.firstAfterRecordedAt) };
    // Moved since the probe, still short of its head. The oldest unapplied event is the one after the last
    // applied, recorded no earlier than it up to the length of a transaction (recorded_at is its start), so
    // the last applied event's age stands for it.
    return {
      eventsBehind: Math.max(1, tail.eventsAfter - (this.applied - probe.applied)),
      msBehind: this.ageOf(this.lastAppliedRecordedAt),
    };
  }

  private ageOf(recordedAt: string | undefined): number {
    return recordedAt === undefined ? 0 : Math.max(0, this.clock() - Date.parse(recordedAt));
  }

  /**
   * Drops the named projections' tables and checkpoints (all when no name is given) and replays them from
   * the first event. The api keeps serving the other read models meanwhile.
   */
  async rebuild(names?: readonly string[]): Promise<void> {
    const chosen = this.projections.filter((p) => !names || names.includes(p.name));
    await this.stop();
    await this.dataSource.transaction(async (em) => {
      for (const p of chosen) {
        for (const table of p.tables) await em.query(`TRUNCATE TABLE "${table}"`);
        await em.query(`DELETE FROM projection_checkpoint WHERE name = $1`, [p.name]);
      }
    });
    await this.start();
  }

  private async loadCheckpoints(): Promise<void> {
    // Every projection gets a row (-1 = nothing applied), so the batch's `FOR UPDATE` always has a row to lock
    // and a concurrent swap can never slip in an insert the batch would then overwrite.
    await this.dataSource.query(
      `INSERT INTO projection_checkpoint (name, position, updated_at)
       SELECT n, -1, now() FROM unnest($1::text[]) AS t(n) ON CONFLICT (name) DO NOTHING`,
      [this.projections.map((p) => p.name)],
    );
    const rows: { name: string; position: string }[] = await this.dataSource.query(
      `SELECT name, position FROM projection_checkpoint`,
    );
    this.positions.clear();
    for (const row of rows) this.positions.set(row.name, Number(row.position));
    this.checkpointLoads++;
  }

  private async applyBatch(batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1];
    if (!last) return;
    const moved = new Map<string, number>();
    // The batch's transaction in as few round trips as it takes: BEGIN, the commit mode and the checkpoint lock
    // go as one simple-protocol message, the checkpoint save and COMMIT as another (bench:http: each statement
    // is a socket write that wakes the server, the biggest single cost of a command here). Only literals the
    // runner itself makes (projection names, positions) are inlined.
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as SimpleQueryClient;
    try {
      const results = await client.query(
        // Asynchronous commit: the rows and the checkpoint are derived from durable events and commit
        // together, so a crash can only lose a whole tail of batches, which the runner then re-applies from the
        // checkpoint that survived. The batch no longer waits for its WAL flush (latency of every
        // read-your-writes wait). Events and everything else stay synchronous.
        `BEGIN; SET LOCAL synchronous_commit = off; ${lockCheckpointsSql(this.projections.map((p) => p.name))}`,
      );
      this.checkCheckpointsUnmoved(lastRows(results));
      for (const projection of this.projections) {
        const done = this.positions.get(projection.name) ?? -1;
        if (done >= last.globalPosition) continue;
        const events = batch.filter((e) => e.globalPosition > done && projection.eventTypes.includes(e.type));
        if (events.length > 0) await projection.apply(events, runner.manager);
        moved.set(projection.name, last.globalPosition);
      }
      await client.query(`${saveCheckpointsSql(moved)}COMMIT`);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    const before = this.position();
    for (const [name, position] of moved) this.positions.set(name, position);
    this.applied += batch.filter((e) => e.globalPosition > before).length;
    this.lastAppliedRecordedAt = last.recordedAt;
    this.lastError = undefined;
    const reached = this.position();
    const ready = this.waiters.filter((w) => w.position <= reached);
    this.waiters = this.waiters.filter((w) => w.position > reached);
    for (const w of ready) w.resolve();
  }

  /**
   * Checks the checkpoint rows locked for the batch (a rebuild-aside swap takes the same locks, so the two
   * serialise) still hold what this runner last committed.
   */
  private checkCheckpointsUnmoved(rows: readonly { name: string; position: string }[]): void {
    const stored = new Map(rows.map((r) => [r.name, Number(r.position)]));
    for (const p of this.projections) {
      const mine = this.positions.get(p.name) ?? -1;
      const theirs = stored.get(p.name) ?? -1;
      if (mine !== theirs) throw new CheckpointMovedError(p.name, mine, theirs);
    }
  }

  private onSubscriptionError(error: unknown): void {
    if (error instanceof CheckpointMovedError && !this.stopped) {
      // Not a failure: the tables were rebuilt aside and swapped in. Pick up from their checkpoint at once.
      this.swapsObserved++;
      this.logger.log?.(`${error.message}; restarting from the stored checkpoints`);
      const failed = this.subscription;
      this.subscription = undefined;
      void failed?.stop().catch(() => undefined);
      this.restart();
      return;
    }
    this.lastError = error instanceof Error ? error.message : String(error);
    this.logger.error(`projection subscription failed: ${this.lastError}`);
    this.subscription = undefined;
    // The store may have gone away: the next lag() asks it again rather than answer from a probe taken before
    // (so /health and /metrics say "unreadable" at once, not up to LAG_PROBE_TTL_MS later).
    this.probe = undefined;
    if (this.stopped) return;
    // Restart from the committed checkpoints: the failed batch's transaction rolled back, so nothing is lost.
    this.restartTimer = setTimeout(() => {
      this.restart();
    }, RESTART_DELAY_MS);
    this.restartTimer.unref();
  }
}

/** The pg client under a TypeORM query runner; a simple-protocol text answers with one result per statement. */
interface SimpleQueryClient {
  query(sql: string): Promise<QueryResultLike | QueryResultLike[]>;
}
interface QueryResultLike {
  readonly rows: unknown[];
}

function lastRows(results: QueryResultLike | QueryResultLike[]): { name: string; position: string }[] {
  const last = Array.isArray(results) ? results[results.length - 1] : results;
  return (last?.rows ?? []) as { name: string; position: string }[];
}

/** A SQL string literal of a name the code chose (projection names); quotes doubled all the same. */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function lockCheckpointsSql(names: readonly string[]): string {
  return `SELECT name, position FROM projection_checkpoint WHERE name IN (${names.map(literal).join(', ')})
    ORDER BY name FOR UPDATE`;
}

/** The checkpoint upsert as a statement text ending in `;` (empty when nothing moved). */
function saveCheckpointsSql(moved: ReadonlyMap<string, number>): string {
  if (moved.size === 0) return '';
  const values = [...moved].map(([name, position]) => {
    if (!Number.isSafeInteger(position)) throw new Error(`checkpoint position ${position} is not an integer`);
    return `(${literal(name)}, ${position}::bigint, now())`;
  });
  return `INSERT INTO projection_checkpoint (name, position, updated_at) VALUES ${values.join(', ')}
    ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at; `;
}
