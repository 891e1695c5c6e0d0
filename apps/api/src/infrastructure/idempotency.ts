import { createHash, randomUUID } from 'node:crypto';
import {
  appendAt,
  DuplicateEventIdError,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { auditActor, type CommandContext } from './command-context';

/**
 * Exactly-once commands (README, "Retries"). The outcome of a keyed command is decided by the event store's
 * append itself, not by a side record that a crash could leave half-done: the command's event ids (and a new
 * ticket's id) are derived from (caller, Idempotency-Key), and the first event carries the request's
 * fingerprint. A retry finds its events in the stream it loads and answers from them; two copies of the same
 * request racing each other append the same ids, so the store accepts one and refuses the other, which then
 * answers from the winner's events. No lock, no in-flight marker: a retry after a crash never waits.
 */
export interface IdempotencyKey {
  readonly key: string;
  /** sha256 of method, path and body. */
  readonly fingerprint: string;
}

/** The same Idempotency-Key was used earlier by this caller for a different request. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly key: string) {
    super('Idempotency-Key was already used for a different request');
  }
}

/** A UUID (version 8, RFC 9562) from sha256 of the parts: the same parts give the same id on every node. */
export function derivedUuid(...parts: readonly string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** `label` keeps apart the ids a command appends to different streams (its ticket's, its unit's claim). */
function derivedEventId(ctx: CommandContext, key: IdempotencyKey, index: number, label = 'event'): string {
  return derivedUuid(label, auditActor(ctx.principal), key.key, String(index));
}

/** The id of a new ticket: derived from the key for a keyed filing, so its retry lands on the same stream. */
export function newTicketId(ctx: CommandContext): string {
  const key = ctx.idempotency;
  return key ? derivedUuid('ticket', auditActor(ctx.principal), key.key) : randomUUID();
}

/** Ids for the `count` events of one command: derived from the key, or random without one. */
export function commandEventIds(ctx: CommandContext, count: number, label = 'event'): string[] {
  const key = ctx.idempotency;
  return Array.from({ length: count }, (_, i) => (key ? derivedEventId(ctx, key, i, label) : randomUUID()));
}

/**
 * The end (exclusive index into `events`) of the run of events this keyed command stored earlier in the
 * stream, or undefined when it stored none. A run whose fingerprint differs means the key was used for
 * another request: IdempotencyKeyReusedError.
 */
export function storedCommandEnd(events: readonly RecordedEvent[], ctx: CommandContext): number | undefined {
  const key = ctx.idempotency;
  if (!key) return undefined;
  return runEnd(events, (i) => derivedEventId(ctx, key, i), key);
}

function runEnd(
  events: readonly RecordedEvent[],
  idAt: (index: number) => string | undefined,
  key: IdempotencyKey | undefined,
): number | undefined {
  const start = events.findIndex((e) => e.id === idAt(0));
  if (start < 0) return undefined;
  if (key && events[start]?.metadata.requestFingerprint !== key.fingerprint)
    throw new IdempotencyKeyReusedError(key.key);
  let end = start + 1;
  while (end < events.length && events[end]?.id === idAt(end - start)) end++;
  return end;
}

/** Where a command's events ended up. `prefix` is set when they were found by reading the stream back. */
export interface CommandAppended {
  readonly revision: number;
  readonly position: number;
  /** An earlier request with the same key stored them: the answer is a replay. */
  readonly replayed: boolean;
  /** The stream up to and including the command's events, when the answer must be rebuilt from them. */
  readonly prefix?: readonly RecordedEvent[];
}

/**
 * Appends a command's events at the revision they were decided on. When the append fails in a way that may
 * hide a success, the stream is read back before answering:
 * - DuplicateEventIdError / WrongExpectedRevisionError on a keyed command: a copy of the same request won the
 *   race; its events are the answer (a replay). Derived ids found in no stream we read: the key belongs to
 *   another request (422).
 * - StoreUnavailableError (the connection died, maybe around COMMIT, and the store's own retries failed): if
 *   our events are there, the command succeeded; otherwise the error stands (503: retry, with the key).
 */
export async function appendCommand(
  store: EventStore,
  stream: string,
  events: readonly NewEvent[],
  loadedRevision: number | undefined,
  ctx: CommandContext,
): Promise<CommandAppended> {
  try {
    return await appendAt(store, stream, events, loadedRevision);
  } catch (error) {
    const raced = error instanceof DuplicateEventIdError || error instanceof WrongExpectedRevisionError;
    if (!raced && !(error instanceof StoreUnavailableError)) throw error;
    if (raced && !ctx.idempotency) throw error;
    let stored: readonly RecordedEvent[];
    try {
      stored = await store.readStream(stream);
    } catch {
      throw error;
    }
    const key = ctx.idempotency;
    const end = key
      ? runEnd(stored, (i) => derivedEventId(ctx, key, i), key)
      : runEnd(stored, (i) => events[i]?.id, undefined);
    const last = end === undefined ? undefined : stored[end - 1];
    if (end === undefined || !last) {
      if (error instanceof DuplicateEventIdError && key) throw new IdempotencyKeyReusedError(key.key);
      throw error;
    }
    return {
      revision: last.revision,
      position: last.globalPosition,
      replayed: raced,
      prefix: stored.slice(0, end),
    };
  }
}
