import { evolve, initialState, type RepairTicketEvent, type RepairTicketState } from '@app/domain';
import type { JsonValue, RecordedEvent } from '@app/event-store';
import { oneOfEveryTicketEvent, replacementStory } from '@app/domain/testing';
import type { EntityManager } from 'typeorm';
import { LATEST_STEPS_SQL } from './snapshots';
import { toTicketDetails } from './ticket-details';
import { joinDocuments, TicketsProjection } from './tickets.projection';

/**
 * What the projection computes before PostgreSQL sees it: which events it applies, the history columns and
 * the summary rows it sends, and when. The statements themselves run against PostgreSQL in
 * tickets.projection.int.spec.ts; here a recording EntityManager answers the one read (a ticket's steps from its last snapshot).
 */
class RecordingEntityManager {
  readonly statements: { sql: string; params: unknown[] }[] = [];
  constructor(
    private readonly summaries: Record<string, { revision: number; state: RepairTicketState }> = {},
  ) {}

  query(sql: string, params: unknown[] = []): Promise<unknown[]> {
    if (sql === LATEST_STEPS_SQL) {
      // The ticket's history from its last snapshot: here one row, the snapshot at the stored revision.
      this.reads.push(params[0] as string[]);
      const ids = (params[0] as string[]).filter((id) => id in this.summaries);
      return Promise.resolve(
        ids.map((id) => ({
          ticket_id: id,
          revision: this.summaries[id]!.revision,
          type: 'SnapshotOnly',
          schema_version: 1,
          data: {},
          snapshot: JSON.stringify(this.summaries[id]!.state),
        })),
      );
    }
    this.statements.push({ sql, params });
    return Promise.resolve([]);
  }

  readonly reads: string[][] = [];
  get em(): EntityManager {
    return this as unknown as EntityManager;
  }
}

const SEP = '\u001e';
const AT = '2026-11-25T01:00:00.000Z'; // the `at` of every fixture event

/** `events` as the store records them in stream `ticket-<id>` from revision `from`, at global positions from `position`. */
function recorded(
  ticketId: string,
  events: readonly RepairTicketEvent[],
  position: number,
  from = 0,
  stream = `ticket-${ticketId}`,
): RecordedEvent[] {
  return events.map((ev, i) => ({
    id: `evt-${position + i}`,
    type: ev.type,
    schemaVersion: ev.schemaVersion,
    data: ev.data as unknown as JsonValue,
    metadata: {
      correlationId: `corr-${ticketId}`,
      actor: ev.data.by,
      ...(from + i > 0 ? { causationId: `cause-${from + i}` } : {}),
    },
    stream,
    revision: from + i,
    globalPosition: position + i,
    recordedAt: `2026-11-25T02:00:${String(from + i).padStart(2, '0')}.000Z`,
  }));
}

const fold = (events: readonly RepairTicketEvent[]): RepairTicketState => events.reduce(evolve, initialState);

/** The parameters of a live (history + summaries) statement, by meaning. */
function liveWrite(params: unknown[]) {
  return {
    positions: params[0],
    eventIds: params[1],
    tickets: params[2],
    revisions: params[3],
    types: params[4],
    schemaVersions: params[5],
    recordedAt: params[6],
    actors: params[7],
    correlations: params[8],
    causations: params[9],
    data: (params[10] as string).split(SEP).map((d) => JSON.parse(d) as unknown),
    snapshots: (params[11] as string).split(SEP),
    summaries:
      params[12] === undefined ? undefined : (JSON.parse(params[12] as string) as Record<string, unknown>[]),
    details: params[13] === undefined ? undefined : (params[13] as string).split(SEP),
  };
}

const e = oneOfEveryTicketEvent('T-1');
const opening = [e.RepairRequested, e.WarrantyAssessed, e.Escalated, e.ReplacementShipped];

/** The summary row of T-1 after `opening` (revision 3, global positions from 101). */
const openingSummary = {
  ticket_id: 'T-1',
  partner_id: 'P-001',
  serial: 'SN-0001',
  model_number: 'WV-S1136',
  status: 'in_transit_to_partner',
  scheme: 'replacement',
  coverage: 'product_warranty',
  chargeable: false,
  prefecture: 'Tokyo',
  requested_at: AT,
  failure_date: '2026-11-20',
  delivery_date: '2026-03-10',
  updated_at: AT,
  resolved_at: null,
  visit_date: null,
  revision: 3,
  last_position: 104,
};

describe('TicketsProjection (what it sends, without a database)', () => {
  it('names its tables and the events it takes', () => {
    const p = new TicketsProjection();
    expect(p.name).toBe('tickets');
    expect(p.tables).toEqual(['ticket_summary', 'ticket_event']);
    expect(p.eventTypes).toContain('RepairRequested');
    expect(p.eventTypes).toContain('TicketCancelled');
    expect(p.eventTypes).not.toContain('PartnerRegistered');
  });

  describe('live batches', () => {
    it('a new ticket: one statement with every history column and its summary, nothing read first', async () => {
      const db = new RecordingEntityManager();
      await new TicketsProjection().apply(recorded('T-1', opening, 101), db.em);
      expect(db.reads).toEqual([]);
      expect(db.statements).toHaveLength(1);
      const { sql, params } = db.statements[0]!;
      // History and summaries in one statement; the summaries read parameters 13 (rows) and 14 (details).
      expect(sql.startsWith('WITH history AS (INSERT INTO ticket_event')).toBe(true);
      expect(sql).toContain('json_to_recordset($13::json)');
      expect(sql).toContain('string_to_array($14, chr(30))');
      const w = liveWrite(params);
      expect(w.positions).toEqual([101, 102, 103, 104]);
      expect(w.eventIds).toEqual(['evt-101', 'evt-102', 'evt-103', 'evt-104']);
      expect(w.tickets).toEqual(['T-1', 'T-1', 'T-1', 'T-1']);
      expect(w.revisions).toEqual([0, 1, 2, 3]);
      expect(w.types).toEqual(['RepairRequested', 'WarrantyAssessed', 'Escalated', 'ReplacementShipped']);
      expect(w.schemaVersions).toEqual([1, 1, 1, 1]);
      expect(w.recordedAt).toEqual([
        '2026-11-25T02:00:00.000Z',
        '2026-11-25T02:00:01.000Z',
        '2026-11-25T02:00:02.000Z',
        '2026-11-25T02:00:03.000Z',
      ]);
      expect(w.actors).toEqual(['partner:P-001', 'system:policy', 'system:portal', 'support:tanaka']);
      expect(w.correlations).toEqual(['corr-T-1', 'corr-T-1', 'corr-T-1', 'corr-T-1']);
      expect(w.causations).toEqual([null, 'cause-1', 'cause-2', 'cause-3']);
      expect(w.data).toEqual(opening.map((x) => x.data));
      // No snapshot below revision 15: four empty documents.
      expect(w.snapshots).toEqual(['', '', '', '']);
      expect(w.summaries).toEqual([openingSummary]);
      expect(w.details?.map((s) => JSON.parse(s) as unknown)).toEqual([
        toTicketDetails('T-1', fold(opening), 3),
      ]);
    });

    it('a ticket continued from its summary row: read back once, only the new events written', async () => {
      const db = new RecordingEntityManager({ 'T-1': { revision: 1, state: fold(opening.slice(0, 2)) } });
      await new TicketsProjection().apply(recorded('T-1', opening.slice(2), 103, 2), db.em);
      expect(db.reads).toEqual([['T-1']]);
      const w = liveWrite(db.statements[0]!.params);
      expect(w.revisions).toEqual([2, 3]);
      expect(w.summaries).toEqual([openingSummary]);
    });

    it('events at or below the stored revision change nothing and send nothing', async () => {
      const db = new RecordingEntityManager({ 'T-1': { revision: 3, state: fold(opening) } });
      await new TicketsProjection().apply(recorded('T-1', opening.slice(2), 103, 2), db.em);
      expect(db.reads).toEqual([['T-1']]);
      expect(db.statements).toEqual([]);
    });

    it('a batch repeating the last applied event applies it once', async () => {
      const db = new RecordingEntityManager();
      const batch = recorded('T-1', opening, 101);
      await new TicketsProjection().apply([...batch, batch[3]!], db.em);
      expect(liveWrite(db.statements[0]!.params).positions).toEqual([101, 102, 103, 104]);
    });

    it('a stream without the ticket- prefix is its own ticket id', async () => {
      const db = new RecordingEntityManager();
      await new TicketsProjection().apply(recorded('legacy', opening.slice(0, 1), 7, 0, 'legacy-9'), db.em);
      const w = liveWrite(db.statements[0]!.params);
      expect(w.tickets).toEqual(['legacy-9']);
      expect(w.summaries?.[0]?.ticket_id).toBe('legacy-9');
    });

    it('only tickets seen after revision 0 and not held are read back', async () => {
      const db = new RecordingEntityManager({ 'T-2': { revision: 0, state: fold([e.RepairRequested]) } });
      const t2 = oneOfEveryTicketEvent('T-2');
      await new TicketsProjection().apply(
        [
          ...recorded('T-1', opening.slice(0, 1), 1),
          ...recorded('T-2', [t2.WarrantyAssessed, t2.Escalated], 2, 1),
        ],
        db.em,
      );
      expect(db.reads).toEqual([['T-2']]);
    });

    it('keeps a snapshot of the state at revision 15, and only there', async () => {
      const rounds = Array.from({ length: 7 }, () => [e.QuoteIssued, e.QuoteDeclined]).flat();
      const long = [e.RepairRequested, e.WarrantyAssessed, e.Escalated, e.ExclusionFound, ...rounds];
      expect(long).toHaveLength(18);
      const db = new RecordingEntityManager();
      await new TicketsProjection().apply(recorded('T-1', long, 1), db.em);
      const { snapshots } = liveWrite(db.statements[0]!.params);
      expect(snapshots.map((s, revision) => (s === '' ? null : revision))).toEqual([
        ...Array.from({ length: 15 }, () => null),
        15,
        null,
        null,
      ]);
      expect(JSON.parse(snapshots[15]!)).toEqual(fold(long.slice(0, 16)));
    });

    it('the batch of a ticket written without summaries is history only', async () => {
      // Replay session, ticket not settled: the history statement stands alone.
      const db = new RecordingEntityManager();
      const session = new TicketsProjection().replaySession();
      await session.apply(recorded('T-1', opening, 101), db.em);
      expect(db.statements).toHaveLength(1);
      expect(db.statements[0]!.sql.startsWith('INSERT INTO ticket_event')).toBe(true);
      expect(db.statements[0]!.params).toHaveLength(12);
    });
  });

  describe('summary rows', () => {
    const summaryAfter = async (events: readonly RepairTicketEvent[]): Promise<Record<string, unknown>> => {
      const db = new RecordingEntityManager();
      await new TicketsProjection().apply(recorded('T-1', events, 1), db.em);
      return liveWrite(db.statements[0]!.params).summaries![0]!;
    };

    it('before the assessment: not yet chargeable or not, no scheme or coverage', async () => {
      expect(await summaryAfter([e.RepairRequested])).toMatchObject({
        status: 'requested',
        scheme: 'none',
        coverage: null,
        chargeable: null,
      });
    });

    it('a chargeable assessment is chargeable before any quote', async () => {
      const chargeable = {
        ...e.WarrantyAssessed,
        data: {
          ...e.WarrantyAssessed.data,
          assessment: { ...e.WarrantyAssessed.data.assessment, billing: 'chargeable' },
        },
      } as RepairTicketEvent;
      expect(await summaryAfter([e.RepairRequested, chargeable])).toMatchObject({
        status: 'requested',
        chargeable: true,
      });
    });

    it('a free assessment with a quote issued is chargeable', async () => {
      const s = await summaryAfter([
        e.RepairRequested,
        e.WarrantyAssessed,
        e.Escalated,
        e.ExclusionFound,
        e.QuoteIssued,
      ]);
      expect(s).toMatchObject({ status: 'awaiting_quote_decision', chargeable: true });
    });

    it('a closed ticket is resolved at its closing time', async () => {
      const s = await summaryAfter(replacementStory('T-1'));
      expect(s).toMatchObject({ status: 'closed', resolved_at: AT, visit_date: null });
    });

    it('a cancelled ticket is not resolved', async () => {
      const s = await summaryAfter([e.RepairRequested, e.TicketCancelled]);
      expect(s).toMatchObject({ status: 'cancelled', resolved_at: null });
    });

    it('an onsite visit shows its date while dispatched, not after', async () => {
      const dispatched = [e.RepairRequested, e.WarrantyAssessed, e.Escalated, e.OnsiteDispatched];
      expect(await summaryAfter(dispatched)).toMatchObject({
        status: 'onsite_dispatched',
        visit_date: '2026-11-30',
      });
      expect(await summaryAfter([...dispatched, e.OnsiteRepairCompleted])).toMatchObject({
        status: 'onsite_completed',
        visit_date: null,
      });
    });

    it('a ticket whose history starts without a request falls back to the recorded time and empty ids', async () => {
      const s = await summaryAfter([e.Escalated]);
      expect(s).toMatchObject({
        partner_id: '',
        serial: '',
        model_number: '',
        prefecture: null,
        failure_date: null,
        requested_at: '2026-11-25T02:00:00.000Z', // recorded time of revision 0
        updated_at: AT,
      });
    });
  });

  describe('replay sessions (rebuild into a private schema)', () => {
    it('writes the summary of a settled ticket at once and the others at flush', async () => {
      const db = new RecordingEntityManager();
      const session = new TicketsProjection().replaySession();
      const closed = replacementStory('T-2');
      await session.apply([...recorded('T-1', opening, 101), ...recorded('T-2', closed, 201)], db.em);
      expect(db.statements).toHaveLength(1);
      const page = liveWrite(db.statements[0]!.params);
      expect(page.positions).toEqual([101, 102, 103, 104, 201, 202, 203, 204, 205, 206, 207]);
      expect(page.summaries?.map((r) => [r.ticket_id, r.status, r.revision])).toEqual([['T-2', 'closed', 6]]);

      await session.flush(db.em);
      expect(db.statements).toHaveLength(2);
      const flushed = db.statements[1]!;
      expect(flushed.sql).toContain('json_to_recordset($1::json)');
      expect(JSON.parse(flushed.params[0] as string)).toEqual([openingSummary]);
      expect((flushed.params[1] as string).split(SEP).map((s) => JSON.parse(s) as unknown)).toEqual([
        toTicketDetails('T-1', fold(opening), 3),
      ]);
    });

    it('a ticket held across pages is not read back and its summary is written once', async () => {
      const db = new RecordingEntityManager();
      const session = new TicketsProjection().replaySession();
      await session.apply(recorded('T-1', opening.slice(0, 2), 101), db.em);
      await session.apply(recorded('T-1', opening.slice(2), 103, 2), db.em);
      await session.flush(db.em);
      expect(db.reads).toEqual([]);
      const summaryWrites = db.statements.filter((s) => s.sql.includes('INSERT INTO ticket_summary'));
      expect(summaryWrites).toHaveLength(1);
      expect(JSON.parse(summaryWrites[0]!.params[0] as string)).toEqual([openingSummary]);
    });

    it('a flush after everything was written sends nothing', async () => {
      const db = new RecordingEntityManager();
      const session = new TicketsProjection().replaySession();
      await session.apply(recorded('T-2', replacementStory('T-2'), 1), db.em);
      await session.flush(db.em);
      expect(db.statements).toHaveLength(1);
    });

    it('over the cache limit every held summary is written and forgotten, then read back', async () => {
      const db = new RecordingEntityManager();
      const session = new TicketsProjection().replaySession({}, 1);
      const t2 = oneOfEveryTicketEvent('T-2');
      await session.apply(
        [...recorded('T-1', opening.slice(0, 2), 1), ...recorded('T-2', [t2.RepairRequested], 3)],
        db.em,
      );
      expect(liveWrite(db.statements[0]!.params).summaries?.map((r) => r.ticket_id)).toEqual(['T-1', 'T-2']);
      await session.apply(recorded('T-1', opening.slice(2), 4, 2), db.em);
      expect(db.reads).toEqual([['T-1']]);
    });

    it('over the cache limit it forgets every ticket it held, also those read back and left unchanged', async () => {
      const db = new RecordingEntityManager({ 'T-9': { revision: 5, state: fold(opening) } });
      const session = new TicketsProjection().replaySession({}, 1);
      const t9 = oneOfEveryTicketEvent('T-9');
      // T-9's revision 3 is already applied (read back, held, not changed); T-1 makes two held tickets.
      await session.apply(
        [...recorded('T-9', [t9.Escalated], 1, 3), ...recorded('T-1', opening.slice(0, 2), 2)],
        db.em,
      );
      await session.apply(recorded('T-9', [t9.ReplacementShipped], 4, 6), db.em);
      expect(db.reads).toEqual([['T-9'], ['T-9']]);
    });

    it('at the cache limit nothing is written early', async () => {
      const db = new RecordingEntityManager();
      const session = new TicketsProjection().replaySession({}, 1);
      await session.apply(recorded('T-1', opening, 1), db.em);
      expect(liveWrite(db.statements[0]!.params).summaries).toBeUndefined();
    });

    it('with the events table at hand only positions and snapshots leave the client', async () => {
      const db = new RecordingEntityManager();
      const session = new TicketsProjection().replaySession({ eventsTable: 'es_1.events' });
      const rounds = Array.from({ length: 7 }, () => [e.QuoteIssued, e.QuoteDeclined]).flat();
      const long = [e.RepairRequested, e.WarrantyAssessed, e.Escalated, e.ExclusionFound, ...rounds];
      await session.apply(recorded('T-1', long, 501), db.em);
      const { sql, params } = db.statements[0]!;
      expect(sql).toContain('FROM es_1.events e');
      // Positions $1, range $2..$3, snapshot positions $4 and their documents $5.
      expect(sql).toContain('JOIN unnest($1::bigint[])');
      expect(sql).toContain(
        'LEFT JOIN ROWS FROM (unnest($4::bigint[]), unnest(string_to_array($5, chr(30))))',
      );
      expect(sql).toContain('BETWEEN $2 AND $3');
      expect(params).toHaveLength(5);
      expect(params[0]).toEqual(Array.from({ length: 18 }, (_, i) => 501 + i));
      expect(params.slice(1, 4)).toEqual([501, 518, [516]]);
      expect(JSON.parse(params[4] as string)).toEqual(fold(long.slice(0, 16)));
    });

    it('flushes in statements of at most 2000 summaries', async () => {
      const db = new RecordingEntityManager();
      const session = new TicketsProjection().replaySession({}, 5000);
      const requests = Array.from({ length: 2001 }, (_, i) =>
        recorded(`T-${i}`, [e.RepairRequested], i + 1),
      ).flat();
      await session.apply(requests, db.em);
      await session.flush(db.em);
      const flushes = db.statements.slice(1);
      expect(flushes.map((s) => (JSON.parse(s.params[0] as string) as unknown[]).length)).toEqual([2000, 1]);
      expect(flushes.map((s) => (s.params[1] as string).split(SEP).length)).toEqual([2000, 1]);
      expect((JSON.parse(flushes[1]!.params[0] as string) as { ticket_id: string }[])[0]?.ticket_id).toBe(
        'T-2000',
      );
    });
  });

  it('joins documents with the record separator, a null as an empty element', () => {
    expect(joinDocuments(['{"a":1}', null, '[]'])).toBe('{"a":1}\u001e\u001e[]');
    expect(joinDocuments([])).toBe('');
  });
});
