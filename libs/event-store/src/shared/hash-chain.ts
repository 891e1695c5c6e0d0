import { createHash } from 'node:crypto';

import type { BrokenLink, JsonValue, StoredEventWithHash } from '../event-store.port';
import { canonicalJson } from './canonical-json';

/**
 * Tamper evidence: every stored event keeps
 *   hash = sha256hex(previousHash + "\n" + JSON(stream) + "\n" + revision + "\n"
 *                    + canonicalJson([type, schemaVersion, data, metadata]))
 * where previousHash is the hash of the stream's previous event ('' for revision 0). Each part is newline-free
 * (JSON escapes newlines), so the framing is unambiguous. The PostgreSQL adapter computes the same text in SQL
 * from the two strings `eventContent` returns, so an auditor can recompute it from exported events alone.
 */
export function eventContent(event: {
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: JsonValue;
  readonly metadata: unknown;
}): string {
  return canonicalJson([event.type, event.schemaVersion, event.data, event.metadata as JsonValue]);
}

export function chainHash(previousHash: string, stream: string, revision: number, content: string): string {
  return createHash('sha256')
    .update(`${previousHash}\n${JSON.stringify(stream)}\n${revision}\n${content}`, 'utf8')
    .digest('hex');
}

export type { BrokenLink, StoredEventWithHash } from '../event-store.port';

/**
 * One link: `event` checked against the hash of its stream's previous event and the revision that must come
 * next. For callers that see several streams interleaved (KurrentDB's `$all`), keeping one (hash, revision)
 * per stream.
 */
export function checkLink(
  previousHash: string,
  expectedRevision: number,
  event: StoredEventWithHash,
): BrokenLink | undefined {
  const expectedHash = chainHash(previousHash, event.stream, event.revision, eventContent(event));
  if (event.revision !== expectedRevision) return { event, expectedHash, reason: 'revision-gap' };
  if (event.hash !== expectedHash) return { event, expectedHash, reason: 'hash-mismatch' };
  return undefined;
}

/** Recomputes one stream's chain (events in revision order); returns the first broken event, if any. */
export function findBrokenLink(events: Iterable<StoredEventWithHash>): BrokenLink | undefined {
  let previous = '';
  let expectedRevision = 0;
  for (const event of events) {
    const broken = checkLink(previous, expectedRevision, event);
    if (broken) return broken;
    previous = event.hash;
    expectedRevision++;
  }
  return undefined;
}
