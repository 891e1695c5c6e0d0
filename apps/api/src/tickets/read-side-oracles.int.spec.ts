import {
  GetTicketHistory,
  GetTicketHistoryHandler,
  ListTickets,
  ListTicketsHandler,
  type TicketFilter,
} from './ticket-queries';
import { readSideOn } from '@app/read-models';
import type { Principal } from '../auth/token';
import { LIST_CASES, NEWEST_FIRST } from './read-side-oracles-lists.test-support';
import { EXPECTED_HISTORY, EXPECTED_SUMMARIES } from './read-side-oracles-rows.test-support';
import { liveAndRebuilt, readSideUnderTest } from './read-side-oracles-fixture.test-support';
import { correlation, story, support, T } from './read-side-oracles-stories.test-support';

// Independent oracles for the read side (issue #18): the scenario and the rules the literals come from are in
// read-side-oracles-stories.test-support.ts; the warranty view's oracles are in read-side-warranty-oracles.int.spec.ts.

describe('read side against literal oracles: ticket_summary, history, list filters, warranty view', () => {
  const rs = readSideUnderTest();

  const summaries = async () =>
    (
      await rs.admin.query<{ r: unknown }>(
        `SELECT json_build_object(
           'ticket_id', ticket_id, 'partner_id', partner_id, 'serial', serial, 'model_number', model_number,
           'status', status, 'scheme', scheme, 'coverage', coverage, 'chargeable', chargeable,
           'prefecture', prefecture,
           'requested_at', to_char(requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'failure_date', failure_date::text,
           'updated_at', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'resolved_at', to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'visit_date', visit_date::text, 'revision', revision) AS r
         FROM "${rs.schemas.live}".ticket_summary ORDER BY ticket_id`,
      )
    ).rows.map((row) => row.r);

  const list = async (filter: Omit<TicketFilter, 'limit'>, principal: Principal = support, limit = 50) =>
    new ListTicketsHandler(readSideOn(rs.db).tickets).execute(
      new ListTickets({ ...filter, limit }, principal),
    );

  liveAndRebuilt(rs, (when) => {
    it(`${when}: ticket_summary holds exactly the expected rows`, async () => {
      expect(await summaries()).toEqual(EXPECTED_SUMMARIES);
    });

    it(`${when}: each ticket's history lists its events in order, with actor and time of each`, async () => {
      for (const [id, expected] of Object.entries(EXPECTED_HISTORY)) {
        const { events } = await new GetTicketHistoryHandler(readSideOn(rs.db).tickets).execute(
          new GetTicketHistory(id, support),
        );
        expect({
          id,
          events: events.map((e) => [e.revision, e.type, e.actor, (e.data as { at: string }).at]),
        }).toEqual({
          id,
          events: expected,
        });
        // Stamped by the store, so checked by shape: one correlation per command, positions ascending.
        expect(events.every((e, i) => i === 0 || e.globalPosition > events[i - 1]!.globalPosition)).toBe(
          true,
        );
        expect(events.every((e) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(e.recordedAt))).toBe(true);
        expect(events[0]?.correlationId).toBe(correlation(id, 0));
        expect(events.at(-1)?.correlationId).toBe(correlation(id, story(id).steps.length));
      }
    });

    it.each(LIST_CASES)(`${when}: GET /tickets $name`, async ({ filter, principal, expected }) => {
      const page = await list(filter, principal);
      expect(page.items.map((i) => i.ticketId)).toEqual(expected);
      expect(page.nextCursor).toBeNull();
    });

    it(`${when}: list items carry the summary columns of their rows`, async () => {
      const page = await list({ serialNumber: 'OR-PAID-A' });
      expect(page.items).toEqual([
        {
          ticketId: T.quoteAccepted,
          partnerId: 'P-001',
          serialNumber: 'OR-PAID-A',
          modelNumber: 'WV-X1574LN',
          status: 'failed_unit_in_transit',
          scheme: 'pickup_repair',
          coverage: 'out_of_warranty',
          chargeable: true,
          requestedAt: '2026-11-22T01:00:00.000Z',
          updatedAt: '2026-11-24T04:00:00.000Z',
          revision: 5,
        },
      ]);
    });

    it(`${when}: pages of 3 walk the whole list once, newest first`, async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const p = await list(cursor === undefined ? {} : { cursor }, support, 3);
        seen.push(...p.items.map((i) => i.ticketId));
        if (p.nextCursor === null) break;
        cursor = p.nextCursor;
      }
      expect(seen).toEqual(NEWEST_FIRST);
    });
  });
});
