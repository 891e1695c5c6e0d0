// Appends of the PostgreSQL event store (postgres-event-store.ts): group commit, the expectation check of each
// append inside its batch, and a batch re-sent when its connection died.
import { setTimeout as sleep } from 'node:timers/promises';

import type { Pool, PoolClient } from 'pg';

import {
  DuplicateEventIdError,
  isConnectionFailure,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../errors';
import type {
  AppendResult,
  EventStore,
  EventMetadata,
  ExpectedRevision,
  JsonValue,
} from '../event-store.port';
import { eventContent } from '../shared/hash-chain';
import { checkAppend, MAX_EVENTS_PER_APPEND, normaliseJson } from '../shared/validate-input';
import type { StoreContext } from './postgres-store-context';

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

/** Pauses before sending an append batch again after its connection died (then StoreUnavailableError). */
const APPEND_RETRY_DELAYS_MS = [50, 250, 750];

export class PostgresAppender {
  /** Append batches that lost their connection and were sent again. */
  retries = 0;
  private readonly pending: PendingAppend[] = [];
  private inFlight = 0;

  constructor(
    private readonly ctx: StoreContext,
    /** Called after a batch stored at least one append (wakes the subscribers). */
    private readonly onAppended: () => void,
  ) {}

  /** EventStore.appendToStream of the PostgreSQL store. */
  async append(
    ...[stream, events, options = {}]: Parameters<EventStore['appendToStream']>
  ): Promise<AppendResult> {
    const expected = checkAppend(stream, events, options);
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
    const hold = this.ctx.options.holdAppendTransactionMs?.(stream) ?? 0;
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
    while (this.inFlight < (this.ctx.options.appendConcurrency ?? 2) && this.pending.length > 0) {
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
        this.ctx.pool,
        batch.map((p) => p.spec),
      );
      batch.forEach((p, i) => {
        const row = rows[i];
        if (row) p.resolve(row);
        else p.reject(new Error('append_batch returned too few rows'));
      });
      if (rows.some((r) => r.status === 'ok')) this.onAppended();
    } catch (error) {
      if (isConnectionFailure(error) && !this.ctx.isClosed()) {
        // The connection died, maybe around COMMIT: the batch may or may not be stored. Sending the very same
        // batch again is safe either way: an append already stored comes back 'replayed' with its original
        // result (same ids, same content), one that was not is stored now; a transaction still running on
        // the server holds its streams' advisory locks, so the retry waits for its outcome instead of racing.
        const delay = APPEND_RETRY_DELAYS_MS[attempt];
        this.retries++;
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

  private async runBatch(client: Pool | PoolClient, specs: readonly AppendSpec[]): Promise<BatchRow[]> {
    const { rows } = await client.query<BatchRow>(
      `SELECT ord, status, next_revision, last_position, actual_revision, conflict_id
         FROM ${this.ctx.q}.append_batch($1, $2::jsonb) ORDER BY ord`,
      [this.ctx.lockKey, JSON.stringify(specs)],
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

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.ctx.pool.connect();
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

/** The same id appended to two streams at the same instant: the unique index is the last line of defence. */
function mapUniqueViolation(error: unknown): unknown {
  const e = error as { code?: string; constraint?: string; detail?: string };
  if (e.code === '23505' && e.constraint === 'events_event_id_key') {
    return new DuplicateEventIdError(/\(event_id\)=\(([^)]+)\)/.exec(e.detail ?? '')?.[1] ?? '');
  }
  return error;
}
