import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { PostgresEventStore } from '@app/event-store';

/**
 * One JSON Lines record per event, with the stored hash and the previous event's hash, so an auditor can
 * recompute every chain elsewhere (recipe in apps/cli/README.md and in `export-audit --help`):
 *   hash = sha256hex(prevHash + "\n" + JSON.stringify(stream) + "\n" + revision + "\n"
 *                    + canonicalJson([type, schemaVersion, data, metadata]))
 * canonicalJson = JSON with object keys sorted (UTF-16 code unit order), no whitespace; prevHash = "" at revision 0.
 */
export interface AuditLine {
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly id: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
  readonly hash: string;
  readonly prevHash: string;
}

export type AuditSelection =
  | { readonly kind: 'ticket'; readonly stream: string }
  | { readonly kind: 'period'; readonly from: string; readonly to: string };

interface Row {
  global_position: string;
  event_id: string;
  stream: string;
  revision: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  recorded_at: string;
  hash: string;
  prev_hash: string;
}

/**
 * Streams the selected events (global order) to `sink` through a server-side cursor, so a large period never
 * sits in memory. prevHash comes from the stored row before it in the same stream, even when that row lies
 * outside the period: each line can be checked on its own.
 */
export async function exportAudit(
  store: PostgresEventStore,
  selection: AuditSelection,
  sink: Writable,
): Promise<number> {
  const q = `"${store.schema}"`;
  const where = selection.kind === 'ticket' ? 'e.stream = $1' : 'e.recorded_at >= $1 AND e.recorded_at <= $2';
  const params = selection.kind === 'ticket' ? [selection.stream] : [selection.from, selection.to];
  const client = await store.pool.connect();
  let count = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(
      `DECLARE audit_export NO SCROLL CURSOR FOR
       SELECT e.global_position, e.event_id, e.stream, e.revision, e.type, e.schema_version, e.data, e.metadata,
              to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, e.hash,
              coalesce((SELECT p.hash FROM ${q}.events p WHERE p.stream = e.stream AND p.revision = e.revision - 1), '')
                AS prev_hash
         FROM ${q}.events e WHERE ${where} ORDER BY e.global_position`,
      params,
    );
    for (;;) {
      const { rows } = await client.query<Row>('FETCH 2000 FROM audit_export');
      if (rows.length === 0) break;
      let chunk = '';
      for (const r of rows) {
        const line: AuditLine = {
          stream: r.stream,
          revision: Number(r.revision),
          position: Number(r.global_position),
          id: r.event_id,
          type: r.type,
          schemaVersion: r.schema_version,
          data: r.data,
          metadata: r.metadata,
          recordedAt: r.recorded_at,
          hash: r.hash,
          prevHash: r.prev_hash,
        };
        chunk += `${JSON.stringify(line)}\n`;
      }
      count += rows.length;
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
    return count;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

export async function withOutput<T>(
  file: string | undefined,
  work: (sink: Writable) => Promise<T>,
): Promise<T> {
  if (!file) return work(process.stdout);
  const sink = createWriteStream(file, { encoding: 'utf8' });
  try {
    return await work(sink);
  } finally {
    sink.end();
    await once(sink, 'close');
  }
}
