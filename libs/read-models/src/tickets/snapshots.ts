import { evolve, initialState, repairTicketEvents, type RepairTicketState } from '@app/domain';

/**
 * History rows (ticket_event) carry the full ticket state only on every SNAPSHOT_EVERY-th revision
 * (revisions 15, 31, …). A ticket of the guide's flows has 5–12 events, so most tickets have no snapshot at all
 * and "state as of a time" folds at most SNAPSHOT_EVERY - 1 stored history rows with the domain's own
 * `evolve` — a bounded read of one ticket's rows from the read model, never a replay of the event store.
 * Chosen over a state per row because that state was most of what a rebuild wrote (README.md, Benchmarks).
 */
export const SNAPSHOT_EVERY = 16;

export function isSnapshotRevision(revision: number): boolean {
  return revision % SNAPSHOT_EVERY === SNAPSHOT_EVERY - 1;
}

/** One history row as the as-of fold needs it. */
export interface HistoryStep {
  readonly revision: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly snapshot: RepairTicketState | null;
}

/**
 * The state after the last of `steps` (ascending revisions, starting at revision 0 or at a snapshot row, with
 * no gaps). Throws on a gap: a history table missing rows would otherwise yield a wrong state silently.
 */
export function foldHistory(steps: readonly HistoryStep[]): RepairTicketState {
  let state = initialState;
  let expected: number | undefined;
  for (const [i, step] of steps.entries()) {
    if (i === 0 && step.snapshot) {
      state = step.snapshot;
    } else {
      if (expected === undefined ? step.revision !== 0 : step.revision !== expected)
        throw new Error(`ticket history has a gap before revision ${step.revision}`);
      state = evolve(state, repairTicketEvents.decode(step));
    }
    expected = step.revision + 1;
  }
  return state;
}

/**
 * SQL (parameters: $1 ticket id, $2 as-of instant) selecting the steps to fold for the state in force at $2:
 * the last revision recorded at or before $2, back to the nearest snapshot at or below it (or revision 0).
 */
export const AS_OF_STEPS_SQL = `
  WITH target AS (
    SELECT max(revision) AS r FROM ticket_event WHERE ticket_id = $1 AND recorded_at <= $2
  ), base AS (
    SELECT coalesce(max(e.revision), 0) AS b FROM ticket_event e, target
     WHERE e.ticket_id = $1 AND e.snapshot IS NOT NULL AND e.revision <= target.r
  )
  SELECT e.revision, e.type, e.schema_version, e.data, e.recorded_at,
         CASE WHEN e.revision = base.b THEN e.snapshot END AS snapshot
    FROM ticket_event e, target, base
   WHERE e.ticket_id = $1 AND e.revision BETWEEN base.b AND target.r
   ORDER BY e.revision`;

/** A row of AS_OF_STEPS_SQL as the driver returns it (the snapshot is JSON text). */
export interface AsOfStepRow {
  readonly revision: number;
  readonly type: string;
  readonly schema_version: number;
  readonly data: unknown;
  readonly recorded_at: Date;
  readonly snapshot: string | null;
}

/**
 * SQL (parameter: $1 ticket ids) selecting, for each ticket, the steps to fold for its latest state: its rows
 * from the last snapshot (or revision 0) on, ordered by ticket and revision. The tickets projection continues a
 * ticket from these when it does not hold it in memory.
 */
export const LATEST_STEPS_SQL = `
  WITH base AS (
    SELECT t.id, coalesce((SELECT max(e.revision) FROM ticket_event e
                            WHERE e.ticket_id = t.id AND e.snapshot IS NOT NULL), 0) AS b
      FROM unnest($1::text[]) AS t(id)
  )
  SELECT e.ticket_id, e.revision, e.type, e.schema_version, e.data,
         CASE WHEN e.revision = base.b THEN e.snapshot END AS snapshot
    FROM base JOIN ticket_event e ON e.ticket_id = base.id AND e.revision >= base.b
   ORDER BY e.ticket_id, e.revision`;

/** A row of LATEST_STEPS_SQL. */
export interface LatestStepRow extends Omit<AsOfStepRow, 'recorded_at'> {
  readonly ticket_id: string;
}

export function toHistoryStep(row: Omit<AsOfStepRow, 'recorded_at'>): HistoryStep {
  return {
    revision: row.revision,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    snapshot: row.snapshot === null ? null : (JSON.parse(row.snapshot) as RepairTicketState),
  };
}
