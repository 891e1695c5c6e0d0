import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { EventStore } from '@app/event-store';

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

/**
 * Streams the selected events (global order) from the configured store to `sink` (`readChained` on the port:
 * a server-side cursor on PostgreSQL, a scan of `$all` for a period on KurrentDB), so a large period never sits
 * in memory. prevHash is the stored hash of the stream's previous event, even when that event lies outside the
 * period: each line can be checked on its own.
 */
export async function exportAudit(
  store: EventStore,
  selection: AuditSelection,
  sink: Writable,
): Promise<number> {
  let count = 0;
  let chunk = '';
  for await (const e of store.readChained(
    selection.kind === 'ticket'
      ? { kind: 'stream', stream: selection.stream }
      : { kind: 'recorded', from: selection.from, to: selection.to },
  )) {
    const line: AuditLine = {
      stream: e.stream,
      revision: e.revision,
      position: e.globalPosition,
      id: e.id,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      recordedAt: e.recordedAt,
      hash: e.hash,
      prevHash: e.prevHash,
    };
    chunk += `${JSON.stringify(line)}\n`;
    count++;
    if (count % 2000 === 0) {
      if (!sink.write(chunk)) await once(sink, 'drain');
      chunk = '';
    }
  }
  if (chunk && !sink.write(chunk)) await once(sink, 'drain');
  return count;
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
