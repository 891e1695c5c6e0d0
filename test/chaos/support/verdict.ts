import type { StoredEvent, StoredTicket } from './database';
import type { Answer } from './http';
import type { CommandOutcome } from './workload';

/** What the store and the answers say about a load, command by command. */
export interface Verdict {
  readonly acknowledged: number;
  readonly found: number;
  readonly duplicated: number;
  readonly retried: number;
  readonly replayed: number;
  readonly fiveXx: number;
  readonly problems: {
    /** Commands never answered 2xx although retried with their key (key: statuses). */
    readonly unacknowledged: string[];
    /** Acknowledged, but their events are not in the store. */
    readonly lost: string[];
    /** Events of one command stored more than once, or more than one ticket for one filing key. */
    readonly duplicates: string[];
    /** Acknowledged with an answer that is not the stored result (other ticket id or revision). */
    readonly notOriginal: string[];
    /**
     * Attempts answered 5xx although their own events were committed (the attempt's x-correlation-id is in
     * the events' metadata). A 503 with Retry-After is the allowed "outcome unknown, retry with the key".
     */
    readonly committedAnswered5xx: string[];
  };
}

const ok = (a: Answer | undefined): boolean => a !== undefined && a.status >= 200 && a.status < 300;
const allowed5xx = (a: Answer): boolean => a.status === 503 && a.headers['retry-after'] !== undefined;

export function judge(
  outcomes: readonly CommandOutcome[],
  ticketsByKey: ReadonlyMap<string, readonly StoredTicket[]>,
  events: readonly StoredEvent[],
  committedCorrelationIds: ReadonlySet<string>,
): Verdict {
  const byStream = new Map<string, StoredEvent[]>();
  for (const e of events) byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e]);
  const problems: Verdict['problems'] = {
    unacknowledged: [],
    lost: [],
    duplicates: [],
    notOriginal: [],
    committedAnswered5xx: [],
  };
  let acknowledged = 0;
  let found = 0;
  let retried = 0;
  let replayed = 0;
  let fiveXx = 0;
  for (const o of outcomes) {
    const { key, action, types } = o.command;
    const final = o.answers.at(-1);
    const statuses = runLengths(o.answers.map((a) => String(a.status || a.error)));
    const tickets = action === 'file' ? (ticketsByKey.get(key) ?? []) : [];
    const ticketId = action === 'file' ? tickets[0]?.ticketId : o.ticketId;
    const stream = (byStream.get(`ticket-${ticketId}`) ?? []).filter((e) => types.includes(e.type));
    const counts = types.map((t) => stream.filter((e) => e.type === t).length);
    const committed = counts.every((c) => c >= 1);
    const expectedRevision = Math.max(...types.map((t) => stream.find((e) => e.type === t)?.revision ?? -1));
    fiveXx += o.answers.filter((a) => a.status >= 500).length;
    if (o.answers.length > 1) retried++;
    if (o.answers.length > 1 && final?.headers['idempotent-replayed'] === 'true') replayed++;
    if (tickets.length > 1 || counts.some((c) => c > 1))
      problems.duplicates.push(
        `${key}: ${tickets.length} tickets, events ${types.map((t, i) => `${t}×${counts[i]}`).join(' ')}`,
      );
    const committed5xx = o.answers.filter(
      (a) =>
        a.status >= 500 && !allowed5xx(a) && committedCorrelationIds.has(a.headers['x-correlation-id'] ?? ''),
    );
    if (committed5xx.length > 0) problems.committedAnswered5xx.push(`${key}: ${statuses}`);
    if (!ok(final)) {
      problems.unacknowledged.push(
        `${key}: ${statuses} ${JSON.stringify(final?.body ?? null).slice(0, 120)}`,
      );
      continue;
    }
    acknowledged++;
    if (!committed) {
      problems.lost.push(`${key}: ${statuses}`);
      continue;
    }
    found++;
    const body = final!.body as { ticketId?: string; revision?: number };
    if (body.ticketId !== ticketId || body.revision !== expectedRevision)
      problems.notOriginal.push(
        `${key}: answered ticket ${body.ticketId} r${body.revision}, stored ${ticketId} r${expectedRevision} (${statuses})`,
      );
  }
  return { acknowledged, found, duplicated: problems.duplicates.length, retried, replayed, fiveXx, problems };
}

/** `0,0,0,409,409,201` → `ECONNREFUSED×3,409×2,201`: long retry histories stay readable. */
function runLengths(items: readonly string[]): string {
  const runs: [string, number][] = [];
  for (const item of items) {
    const last = runs.at(-1);
    if (last && last[0] === item) last[1]++;
    else runs.push([item, 1]);
  }
  return runs.map(([item, n]) => (n > 1 ? `${item}×${n}` : item)).join(',');
}
