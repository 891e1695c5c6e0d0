import {
  allowedCommands,
  evolve,
  initialState,
  REPAIR_TICKET_EVENT_TYPES,
  repairTicketEvents,
  type RepairTicketState,
  TICKET_STREAM_PREFIX,
  ticketBilling,
  ticketIdOfStream,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection, ReplaySession, ReplaySessionOptions } from '../runner/projection';
import {
  foldHistory,
  isSnapshotRevision,
  LATEST_STEPS_SQL,
  type LatestStepRow,
  toHistoryStep,
} from './snapshots';
import { toTicketDetails } from './ticket-details';

interface Current {
  revision: number;
  state: RepairTicketState;
  /** The last event applied to `state` in this session (undefined when read back from the history rows). */
  event?: RecordedEvent;
}

const HISTORY_COLUMNS = `global_position, event_id, ticket_id, revision, type, schema_version, recorded_at, actor,
  correlation_id, causation_id, data, snapshot`;

/**
 * JSON documents (event data, ticket states) travel as ONE text parameter, joined by the record separator
 * U+001E and split by `string_to_array` in the server. JSON.stringify never emits a raw control character (it
 * writes \u001e), so the separator cannot occur inside a document, and an empty element stands for NULL.
 * Cheaper for the server than parsing a JSON document of records, and for the client than node-pg's array
 * literals (one escaped, quoted element per document); figures in README.md, Benchmarks.
 */
const SEPARATOR = '\u001e';
export function joinDocuments(documents: readonly (string | null)[]): string {
  return documents.map((d) => d ?? '').join(SEPARATOR);
}
const splitDocuments = (param: string): string => `unnest(string_to_array(${param}, chr(30)))`;

/** History rows from column arrays $1–$10 and the documents $11 (data) and $12 (snapshots). */
const INSERT_HISTORY = `INSERT INTO ticket_event (${HISTORY_COLUMNS})
  SELECT p, i, t, r, y, v, a, ac, c, ca, d::jsonb, NULLIF(s, '')
    FROM ROWS FROM (unnest($1::bigint[]), unnest($2::uuid[]), unnest($3::text[]), unnest($4::int[]),
                    unnest($5::text[]), unnest($6::int[]), unnest($7::timestamptz[]), unnest($8::text[]),
                    unnest($9::text[]), unnest($10::text[]), ${splitDocuments('$11')}, ${splitDocuments('$12')})
         AS h(p, i, t, r, y, v, a, ac, c, ca, d, s)
  ON CONFLICT (global_position) DO NOTHING`;

/** Summary rows: scalar columns as a JSON document of records ($n), details as separated documents ($n+1). */
const UPSERT_SUMMARIES = (n: number): string => `INSERT INTO ticket_summary (ticket_id, partner_id, serial,
    model_number, status, scheme, coverage, chargeable, prefecture, requested_at, failure_date, delivery_date,
    updated_at, resolved_at, visit_date, revision, last_position, details)
  SELECT ticket_id, partner_id, serial, model_number, status, scheme, coverage, chargeable, prefecture,
         requested_at, failure_date, delivery_date, updated_at, resolved_at, visit_date, revision, last_position,
         details
  FROM ROWS FROM (json_to_recordset($${n}::json) AS (ticket_id text, partner_id text, serial text,
       model_number text, status text, scheme text, coverage text, chargeable boolean, prefecture text,
       requested_at timestamptz, failure_date date, delivery_date date, updated_at timestamptz,
       resolved_at timestamptz, visit_date date, revision int, last_position bigint),
       ${splitDocuments(`$${n + 1}`)})
    AS t(ticket_id, partner_id, serial, model_number, status, scheme, coverage, chargeable, prefecture,
         requested_at, failure_date, delivery_date, updated_at, resolved_at, visit_date, revision, last_position,
         details)
  ON CONFLICT (ticket_id) DO UPDATE SET
    partner_id = EXCLUDED.partner_id, serial = EXCLUDED.serial, model_number = EXCLUDED.model_number,
    status = EXCLUDED.status, scheme = EXCLUDED.scheme, coverage = EXCLUDED.coverage,
    chargeable = EXCLUDED.chargeable, prefecture = EXCLUDED.prefecture, requested_at = EXCLUDED.requested_at,
    failure_date = EXCLUDED.failure_date, delivery_date = EXCLUDED.delivery_date,
    updated_at = EXCLUDED.updated_at, resolved_at = EXCLUDED.resolved_at, visit_date = EXCLUDED.visit_date,
    revision = EXCLUDED.revision, last_position = EXCLUDED.last_position, details = EXCLUDED.details
  WHERE ticket_summary.revision < EXCLUDED.revision`;

/**
 * History rows copied inside the server from the store's events table, for the positions in $1 (ascending, all
 * within $2..$3), with the snapshots $5 at positions $4. Each column is derived exactly as `TicketWriter.apply`
 * derives it from a RecordedEvent (ticket id from the stream name, metadata fields, recorded_at at the
 * millisecond precision the store's reads return), so both paths write identical rows (tested in
 * tickets.projection.int.spec.ts). The positions are joined, not `= ANY($1)`: with a literal array of
 * thousands of positions the planner estimates each element and probes the index once per position; a range
 * scan of the page hashed against the positions costs neither. No ON CONFLICT clause: a replay session writes
 * into a fresh private schema and never applies a page twice, so a conflict would be a bug, reported as one
 * (and the speculative-insertion check costs server time; README.md, Benchmarks).
 */
const copyHistorySql = (eventsTable: string): string => `INSERT INTO ticket_event (${HISTORY_COLUMNS})
  SELECT e.global_position, e.event_id,
         CASE WHEN e.stream LIKE '${TICKET_STREAM_PREFIX}%' THEN substr(e.stream, ${TICKET_STREAM_PREFIX.length + 1})
              ELSE e.stream END,
         e.revision, e.type, e.schema_version, date_trunc('milliseconds', e.recorded_at),
         e.metadata->>'actor', e.metadata->>'correlationId', e.metadata->>'causationId', e.data, s.snapshot
    FROM ${eventsTable} e
    JOIN unnest($1::bigint[]) AS w(position) ON w.position = e.global_position
    LEFT JOIN ROWS FROM (unnest($4::bigint[]), ${splitDocuments('$5')}) AS s(position, snapshot)
           ON s.position = e.global_position
   WHERE e.global_position BETWEEN $2 AND $3`;

/** Summaries per statement when a replay session flushes (each carries ~2.7 KB of details). */
const FLUSH_CHUNK = 2000;

/**
 * ticket_summary (one row per ticket: the list's columns and the ticket's details, `TicketDetailsV1`, built by
 * `toTicketDetails`) and ticket_event (every event with actor, time and correlation, plus a state snapshot every
 * SNAPSHOT_EVERY revisions). Per batch: one read of the touched tickets' history since their last snapshot, the
 * domain's own `evolve` in memory, then one statement writing both tables. Events at or below a ticket's last
 * history revision are skipped, so re-applying a batch changes nothing.
 *
 * The decider's state is the projection's working memory, never a stored view: the snapshots in ticket_event
 * are the only copies kept, for the as-of query and to continue a ticket here (at most SNAPSHOT_EVERY - 1 rows
 * folded after the nearest one).
 */
export class TicketsProjection implements Projection {
  readonly name = 'tickets';
  readonly eventTypes: readonly string[] = REPAIR_TICKET_EVENT_TYPES;
  readonly tables = ['ticket_summary', 'ticket_event'] as const;

  async apply(events: readonly RecordedEvent[], em: EntityManager): Promise<void> {
    // Stryker disable next-line BooleanLiteral: equivalent, a deferring writer with no cache (maxCached 0) writes every touched summary per batch, as this one does
    await new TicketWriter({ deferSummaries: false }).apply(events, em);
  }

  /**
   * For a rebuild into a private shadow schema. Summaries stay in memory across pages and are written when a
   * ticket reaches a final state (no command accepts it any more, so no event follows), when more than
   * `maxCached` tickets are held (all are written, then forgotten and read back if a later event needs them),
   * and at `flush`: each ticket's ~2.7 KB summary is written about once per rebuild instead of once per page
   * it appears in. History rows are written page by page, copied inside the server when `eventsTable` is set.
   */
  replaySession(options: ReplaySessionOptions = {}, maxCached = 20_000): ReplaySession {
    return new TicketWriter({ deferSummaries: true, maxCached, eventsTable: options.eventsTable });
  }
}

interface WriterOptions {
  readonly deferSummaries: boolean;
  readonly maxCached?: number;
  /** Set: history rows are copied from this events table inside the server (see ReplaySessionOptions). */
  readonly eventsTable?: string | undefined;
}

class TicketWriter implements ReplaySession {
  /** Ticket states as of the last event this writer applied or read back. */
  private readonly known = new Map<string, Current>();
  /** Tickets whose summary in `known` is ahead of ticket_summary. */
  private readonly dirty = new Set<string>();

  constructor(private readonly options: WriterOptions) {}

  async apply(events: readonly RecordedEvent[], em: EntityManager): Promise<void> {
    await this.readBack(events, em);
    const { deferSummaries, eventsTable, maxCached = 0 } = this.options;
    const copied = deferSummaries && eventsTable !== undefined;
    // Column order of HISTORY_COLUMNS.
    const columns: unknown[][] = Array.from({ length: 12 }, () => []);
    const [
      position,
      eventId,
      ticket,
      revision,
      type,
      schemaVersion,
      recordedAt,
      actor,
      correlation,
      causation,
      data,
      snapshot,
    ] = columns as [
      number[],
      string[],
      string[],
      number[],
      string[],
      number[],
      string[],
      string[],
      string[],
      (string | null)[],
      string[],
      (string | null)[],
    ];
    // Stryker disable next-line ArrayDeclaration: equivalent, take() skips an id that is not dirty
    const settled: string[] = [];
    for (const e of events) {
      const id = ticketIdOf(e);
      const cur = this.known.get(id) ?? { revision: -1, state: initialState };
      if (e.revision <= cur.revision) continue;
      const state = evolve(cur.state, repairTicketEvents.decode(e));
      this.known.set(id, { revision: e.revision, state, event: e });
      this.dirty.add(id);
      if (deferSummaries && allowedCommands(state).length === 0) settled.push(id);
      position.push(e.globalPosition);
      snapshot.push(isSnapshotRevision(e.revision) ? JSON.stringify(state) : null);
      // Stryker disable next-line ConditionalExpression: equivalent, the copied path sends only positions and snapshots (gathering the rest costs time, changes nothing)
      if (copied) continue; // the server copies the rest from the events table
      eventId.push(e.id);
      ticket.push(id);
      revision.push(e.revision);
      type.push(e.type);
      schemaVersion.push(e.schemaVersion);
      recordedAt.push(e.recordedAt);
      actor.push(e.metadata.actor);
      correlation.push(e.metadata.correlationId);
      causation.push(e.metadata.causationId ?? null);
      data.push(JSON.stringify(e.data));
    }
    if (position.length === 0) return;

    let history: { sql: string; params: unknown[] };
    if (copied) {
      // Only positions and the rare snapshots leave the client; the rest is the event row itself.
      const at = snapshot.flatMap((json, i) => (json === null ? [] : [i]));
      history = {
        sql: copyHistorySql(eventsTable),
        params: [
          position,
          position[0],
          position[position.length - 1],
          at.map((i) => position[i]),
          joinDocuments(at.map((i) => snapshot[i] ?? null)),
        ],
      };
    } else {
      history = {
        sql: INSERT_HISTORY,
        params: [...columns.slice(0, 10), joinDocuments(data), joinDocuments(snapshot)],
      };
    }
    // Summaries written now: every touched ticket (live), or the settled ones (replay session; all of them
    // when the cache is full).
    const all = !deferSummaries || this.known.size > maxCached;
    const summaries = this.take(all ? [...this.dirty] : settled);
    if (all) this.known.clear();
    else for (const id of summaries.ids) this.known.delete(id);
    if (summaries.rows.length === 0) {
      await em.query(history.sql, history.params);
      return;
    }
    // Both tables in ONE statement (a data-modifying CTE): one round trip less per batch on the
    // read-your-writes path. The CTE runs to completion even though nothing reads its output.
    await em.query(`WITH history AS (${history.sql}) ${UPSERT_SUMMARIES(history.params.length + 1)}`, [
      ...history.params,
      JSON.stringify(summaries.rows),
      joinDocuments(summaries.details),
    ]);
  }

  async flush(em: EntityManager): Promise<void> {
    const { rows, details } = this.take([...this.dirty]);
    for (let i = 0; i < rows.length; i += FLUSH_CHUNK)
      await em.query(UPSERT_SUMMARIES(1), [
        JSON.stringify(rows.slice(i, i + FLUSH_CHUNK)),
        joinDocuments(details.slice(i, i + FLUSH_CHUNK)),
      ]);
    this.known.clear();
  }

  /**
   * Loads the tickets `events` continue that this writer does not hold. A ticket whose first event here is
   * revision 0 starts in this batch: its state is built from initialState, nothing to read (so a batch of new
   * tickets, i.e. filings, skips the round trip). Re-applying it yields the same rows, which the conflict
   * clauses leave as they are.
   */
  private async readBack(events: readonly RecordedEvent[], em: EntityManager): Promise<void> {
    const firstRevision = new Map<string, number>();
    for (const e of events) {
      const id = ticketIdOf(e);
      if (!firstRevision.has(id)) firstRevision.set(id, e.revision);
    }
    const unknown = [...firstRevision]
      .filter(([id, revision]) => revision > 0 && !this.known.has(id))
      .map(([id]) => id);
    if (unknown.length === 0) return;
    // Each ticket's history from its last snapshot (or revision 0), folded as the as-of query folds it.
    const rows: LatestStepRow[] = await em.query(LATEST_STEPS_SQL, [unknown]);
    const byTicket = new Map<string, LatestStepRow[]>();
    for (const r of rows) {
      const steps = byTicket.get(r.ticket_id);
      if (steps) steps.push(r);
      else byTicket.set(r.ticket_id, [r]);
    }
    for (const [id, steps] of byTicket) {
      const last = steps[steps.length - 1];
      if (last) this.known.set(id, { revision: last.revision, state: foldHistory(steps.map(toHistoryStep)) });
    }
  }

  /** Summary rows (and their details as JSON) of `ids` with an event applied here; no longer dirty. */
  private take(ids: readonly string[]): {
    ids: string[];
    rows: Record<string, unknown>[];
    details: string[];
  } {
    // Stryker disable next-line ArrayDeclaration: equivalent, a stray id is deleted from `known`, which does not hold it
    const taken: string[] = [];
    const rows: Record<string, unknown>[] = [];
    const details: string[] = [];
    for (const id of ids) {
      const cur = this.known.get(id);
      if (!this.dirty.delete(id) || !cur?.event) continue;
      taken.push(id);
      rows.push(summaryRow(id, cur.state, cur.event));
      details.push(JSON.stringify(toTicketDetails(id, cur.state, cur.event.revision)));
    }
    return { ids: taken, rows, details };
  }
}

function ticketIdOf(e: RecordedEvent): string {
  return ticketIdOfStream(e.stream) ?? e.stream;
}

function summaryRow(ticketId: string, s: RepairTicketState, e: RecordedEvent): Record<string, unknown> {
  const input = s.assessmentInput;
  return {
    ticket_id: ticketId,
    partner_id: s.partnerId ?? '',
    serial: input?.unit.serialNumber ?? '',
    model_number: input?.unit.modelNumber ?? '',
    status: s.status,
    scheme: s.scheme,
    coverage: s.coverage,
    // The domain's one rule for the ticket's current billing, which the detail view shows in full (`billing`).
    chargeable: ticketBilling(s)?.chargeable ?? null,
    prefecture: input?.site.prefecture ?? null,
    requested_at: s.openedAt ?? e.recordedAt,
    failure_date: input?.failure.failureDate ?? null,
    // The end-user delivery date the request recorded: the warranty status query's default for the serial.
    delivery_date: input?.unit.deliveryDate ?? null,
    updated_at: s.updatedAt ?? e.recordedAt,
    // Resolution = closed (not cancelled): the mean time to resolution counts tickets that reached an end.
    resolved_at: s.status === 'closed' ? s.closedAt : null,
    visit_date: s.status === 'onsite_dispatched' ? (s.onsite?.visitDate ?? null) : null,
    revision: e.revision,
    last_position: e.globalPosition,
  };
}
