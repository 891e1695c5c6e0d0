import type { RecordedEvent } from '@app/event-store';
import type { EntityManager } from 'typeorm';

/**
 * A read model fed from the event store. `apply` is a pure evolve plus an idempotent upsert of the rows it
 * touches, run inside the transaction that also moves the projection's checkpoint (STYLE.md rule 5).
 */
export interface Projection {
  readonly name: string;
  /** Only these event types are handed to `apply` (the checkpoint still moves past the others). */
  readonly eventTypes: readonly string[];
  /** Tables this projection owns; a rebuild truncates them. */
  readonly tables: readonly string[];
  apply(events: readonly RecordedEvent[], em: EntityManager): Promise<void>;
  /**
   * True when a row may depend on events of several streams. Rebuild-aside splits a replay into lanes by
   * stream (each lane in order, lanes in parallel), which is only sound when every row is keyed by its
   * event's stream, as for tickets (ticket-<id>) and reference data (partner-, unit-sale-, catalog).
   */
  readonly crossStream?: boolean;
  /**
   * Optional faster path for a rebuild into a private (shadow) schema nobody else writes: the session may keep
   * rows in memory across pages and write them later; the tables are complete only after `flush`.
   */
  replaySession?(options: ReplaySessionOptions): ReplaySession;
}

/** A replay into a private schema, page by page (in order per stream), then `flush`. */
export interface ReplaySession {
  apply(events: readonly RecordedEvent[], em: EntityManager): Promise<void>;
  flush(em: EntityManager): Promise<void>;
}

export interface ReplaySessionOptions {
  /**
   * The store's events table when it is in the same database as the read models (PostgreSQL store): rows that
   * copy an event's own columns may then be written by one INSERT … SELECT inside the server, for the
   * positions of the page being applied, instead of travelling through the client and back.
   */
  readonly eventsTable?: string;
}
