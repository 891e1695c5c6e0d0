import {
  evolve,
  initialState,
  repairTicketEvents,
  type RepairTicketState,
  ticketIdOfStream,
  ticketStream,
} from '@app/domain';
import type { EventStore, RecordedEvent } from '@app/event-store';
import { CliInputError } from '../cli-context';

export interface HistoryEntry {
  readonly revision: number;
  readonly globalPosition: number;
  readonly recordedAt: string;
  readonly type: string;
  readonly actor: string;
  readonly statusAfter: string;
  readonly data: unknown;
}

export interface TicketHistory {
  readonly ticketId: string;
  readonly stream: string;
  /** Null: the whole history. */
  readonly asOf: string | null;
  readonly events: HistoryEntry[];
  /** Events recorded after `asOf` (not folded). */
  readonly laterEvents: number;
  readonly state: RepairTicketState;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Accepts a ticket id or its stream name (`ticket-<uuid>`). */
export function ticketStreamOf(idOrStream: string): { ticketId: string; stream: string } {
  const ticketId = ticketIdOfStream(idOrStream) ?? idOrStream;
  if (!UUID.test(ticketId)) throw new CliInputError(`ticket id ${JSON.stringify(idOrStream)} is not a UUID`);
  return { ticketId: ticketId.toLowerCase(), stream: ticketStream(ticketId.toLowerCase()) };
}

/**
 * Replays the ticket's stream from the event store with the domain's own `evolve` (an auditor's CLI may
 * replay; the HTTP api answers from read models). Events recorded after `asOf` are left out.
 */
export async function ticketHistory(
  store: EventStore,
  idOrStream: string,
  asOf: string | null,
): Promise<TicketHistory> {
  const { ticketId, stream } = ticketStreamOf(idOrStream);
  const all = await store.readStream(stream);
  if (all.length === 0) throw new CliInputError(`no ticket ${ticketId} (stream ${stream} is empty)`);
  const cutoff = asOf === null ? Number.POSITIVE_INFINITY : Date.parse(asOf);
  const kept = all.filter((e) => Date.parse(e.recordedAt) <= cutoff);
  // Before its first event the ticket did not exist: say so (exit 2) rather than print a state it never had.
  if (kept.length === 0)
    throw new CliInputError(
      `ticket ${ticketId} did not exist yet at ${asOf ?? 'that time'}: its first event was recorded at ${all[0]?.recordedAt}`,
    );
  let state = initialState;
  const events = kept.map((e: RecordedEvent): HistoryEntry => {
    state = evolve(state, repairTicketEvents.decode(e));
    return {
      revision: e.revision,
      globalPosition: e.globalPosition,
      recordedAt: e.recordedAt,
      type: e.type,
      actor: e.metadata.actor,
      statusAfter: state.status,
      data: e.data,
    };
  });
  return { ticketId, stream, asOf, events, laterEvents: all.length - kept.length, state };
}

/** A plain-text table for a terminal. */
export function formatHistoryTable(h: TicketHistory): string {
  const header = ['rev', 'position', 'recorded at (UTC)', 'event', 'actor', 'status after'];
  const rows = h.events.map((e) => [
    String(e.revision),
    String(e.globalPosition),
    e.recordedAt,
    e.type,
    e.actor,
    e.statusAfter,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const s = h.state;
  const lines = [
    `ticket ${h.ticketId} (stream ${h.stream})${h.asOf ? ` as of ${h.asOf}` : ''}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `state: status=${s.status} scheme=${s.scheme ?? '-'} coverage=${s.coverage ?? '-'} partner=${s.partnerId ?? '-'}` +
      ` billing=${s.assessment?.billing ?? '-'} quotes=${s.quotes.length}`,
  ];
  if (h.laterEvents > 0)
    lines.push(`(${h.laterEvents} later event(s) not shown: recorded after the as-of time)`);
  return lines.join('\n');
}
