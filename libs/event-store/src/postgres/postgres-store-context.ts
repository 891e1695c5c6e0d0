// What the parts of the PostgreSQL event store share (postgres-event-store.ts): the pool, the schema's tables
// and lock key, the options, whether the store is closed, and the mapping of stored rows.
import type { Pool, QueryResultRow } from 'pg';

import type { EventMetadata, JsonValue, RecordedEvent } from '../event-store.port';
import type { StoredEventWithHash } from '../shared/hash-chain';

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

/** The store as its appender, pager and subscriber see it. */
export interface StoreContext {
  readonly pool: Pool;
  /** The quoted schema name (tables are `${q}.events`). */
  readonly q: string;
  readonly schema: string;
  /** Advisory-lock namespace of this schema, so two schemas on one server never block each other. */
  readonly lockKey: number;
  readonly options: PostgresEventStoreOptions;
  isClosed(): boolean;
}

export interface EventRow extends QueryResultRow {
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

/** A timestamptz column formatted by the server as `toISOString()` would (milliseconds): no Date parsing per row. */
export function isoMs(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

export const COLUMNS = `global_position, event_id, stream, revision, type, schema_version, data, metadata,
  ${isoMs('recorded_at')} AS recorded_at, hash`;

export function toRecorded(row: EventRow): RecordedEvent {
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

export function toStored(row: EventRow): StoredEventWithHash {
  return { ...toRecorded(row), hash: row.hash };
}

/** FNV-1a: a stable 32-bit signed key for pg_advisory_xact_lock(int, int). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
